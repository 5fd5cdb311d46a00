/**
 * A document model built by hand, the shape a document backend's introspection gives (see
 * src/core/introspect/infer.ts): a sampled collection with optional fields, nested objects, arrays of
 * objects, observed unions, an open JSON field, an inline enumeration, a null-only field, hostile keys, and
 * a namespace enum. Used where a MongoDB-like model must go through codegen without a server.
 */
import * as path from 'node:path';
import ts from 'typescript';
import { SchemaModel, type Field } from '../../src/core/model';

const f = (name: string, type: Field['type'], extra: Partial<Field> = {}): Field => ({ name, nativeType: type, type, nullable: false, ...extra });

export function documentModel(): SchemaModel {
  return SchemaModel.parse({
    version: 2,
    source: { kind: 'mongodb', database: 'shop' },
    namespaces: [
      {
        name: 'shop',
        enums: [{ name: 'channel', values: ['web', 'store', "it's \"odd\""] }],
        entities: [
          {
            name: 'orders',
            kind: 'collection',
            origin: 'sample',
            primaryKey: { name: '_id_', columns: ['_id'] },
            stats: { sample: { size: 100, seen: 100 } },
            fields: [
              f('_id', 'objectid', { nativeType: 'objectId' }),
              f('name', 'string'),
              f('note', 'string', { optional: true, confidence: 0.8 }),
              f('placed', 'timestamp', { nativeType: 'date' }),
              f('address', 'object', {
                fields: [f('city', 'string'), f('zip', 'string', { optional: true }), f('geo', 'object', { optional: true, fields: [f('lat', 'float'), f('lng', 'float')] })],
              }),
              f('lines', 'array', { items: { type: 'object', fields: [f('sku', 'string'), f('qty', 'integer', { types: [{ type: 'integer' }, { type: 'string' }] })] } }),
              f('code', 'string', { types: [{ type: 'string' }, { type: 'integer' }] }),
              f('meta', 'object', { nullable: true }),
              f('status', 'string', { values: ['new', 'paid'] }),
              f('channel', 'enum', { enumRef: { namespace: 'shop', name: 'channel' }, optional: true }),
              f('tags', 'array', { items: { type: 'string' } }),
              f('deleted', 'null', { nullable: true }),
              f('blob', 'bytes', { optional: true }),
              f('big', 'bigint', { optional: true }),
              f('extra', 'unknown', { optional: true }),
              f('__proto__', 'integer', { optional: true }),
              f('constructor', 'string', { optional: true }),
            ],
          },
          { name: 'empty', kind: 'collection', fields: [] },
          { name: 'events.2024', kind: 'collection', fields: [f('_id', 'string'), f('at', 'timestamp')], primaryKey: { name: '_id_', columns: ['_id'] } },
        ],
      },
    ],
  });
}

export const STRICT_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUnusedLocals: true,
  noImplicitReturns: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  types: [],
  noEmit: true,
  skipLibCheck: true,
};

/** tsc --strict over the given files of `dir` (in process); the diagnostics, one line each. */
export function strictDiagnostics(dir: string, files: string[], options: ts.CompilerOptions = STRICT_OPTIONS): string[] {
  const program = ts.createProgram(files.map((name) => path.join(dir, name)), options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}
