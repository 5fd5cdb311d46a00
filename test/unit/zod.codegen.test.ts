/**
 * The zod target on models built by hand: a relational one through the PostgreSQL value mapping (enums,
 * composites, arrays, dates, int8 as string, a view, awkward names, overrides) and a document one through
 * core's defaults (nested objects, arrays of objects, unions, optional fields, inline enumerations, open
 * JSON, hostile keys), and the same document model through each document backend's mapping with every type
 * that mapping knows (BSON classes, Firestore's Timestamp / GeoPoint / DocumentReference / Buffer / vector;
 * MySQL's Buffer and geometries). The compiler checks `z.infer` of every schema against its ts-types type; the
 * schemas then parse real values.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { generate } from '../../src/core/codegen/generate';
import { parseOverrides } from '../../src/core/codegen/overrides/file';
import { TS_TYPES, ZOD } from '../../src/core/codegen/targets';
import { SchemaModel, type Field } from '../../src/core/model';
import { documentModel, STRICT_OPTIONS, strictDiagnostics } from '../support/documentModel';
import { codegenFor } from '../support/host';
import { sampleModel } from '../support/sampleModel';
import { makeWorkDir } from '../support/workdir';
import { writeWithZodChecks } from '../support/zodCheck';

const DOC_OVERRIDES = parseOverrides(
  JSON.stringify({
    namespaces: { shop: { orders: { fields: { meta: { tsType: 'Meta', import: { name: 'Meta', from: './meta' } }, address: { fields: { zip: { nullable: true } } } } } } },
  }),
);

describe('zod target', function () {
  this.timeout(120_000);

  it('relational (pg mapping): every schema infers exactly its ts-types type under tsc --strict', async () => {
    const overrides = parseOverrides(JSON.stringify({ namespaces: { public: { orders: { fields: { total: { tsType: 'Money', import: { name: 'Money', from: './money' } } } } } } }));
    const result = await generate(sampleModel(), codegenFor('postgres', { profileName: 'zod', targets: ['zod'], overrides }));
    assert.deepEqual(result.targets, ['ts-types', 'zod'], 'zod pulls in ts-types');
    const zod = result.files.find((f) => f.path === 'public.zod.ts')!.content;
    assert.match(zod, /^import \{ z \} from 'zod\/v4';$/m);
    assert.match(zod, /export const OrderStatusSchema = z\.enum\(OrderStatusValues\);/);
    assert.match(zod, /import type \{ Money \} from "\.\/money";/);
    assert.match(zod, /total: z\.custom<Money>\(\)\.nullable\(\),/);
    const work = await makeWorkDir('zod-rel');
    try {
      await import('node:fs/promises').then((fs) => fs.writeFile(path.join(work.dir, 'money.ts'), 'export type Money = `${number}.${number}`;\n'));
      const { names, checks } = await writeWithZodChecks(work.dir, result.files);
      assert.ok(checks >= 12, `checked ${checks} schemas`);
      assert.deepEqual(strictDiagnostics(work.dir, names), []);
    } finally {
      await work.remove();
    }
  });

  it('documents (core mapping): nested, optional, unions, inline enums, hostile keys; and they parse', async () => {
    const result = await generate(documentModel(), { profileName: 'docs', targets: ['zod'], offers: [TS_TYPES, ZOD], mapping: { types: {} }, overrides: DOC_OVERRIDES });
    const zod = result.files.find((f) => f.path === 'shop.zod.ts')!.content;
    assert.match(zod, /\["__proto__"\]: z\.number\(\)\.int\(\)\.optional\(\),/, '__proto__ as a computed key: a plain one would set the prototype');
    const work = await makeWorkDir('zod-doc');
    try {
      await import('node:fs/promises').then((fs) => fs.writeFile(path.join(work.dir, 'meta.ts'), 'export interface Meta { source: string }\n'));
      const { names, checks } = await writeWithZodChecks(work.dir, result.files);
      assert.ok(checks >= 7, `checked ${checks} schemas`);
      assert.deepEqual(strictDiagnostics(work.dir, names), []);

      const ts = await import('typescript');
      const js = ts.transpileModule(zod, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
      const types = ts.transpileModule(result.files.find((f) => f.path === 'shop.types.ts')!.content, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
      const fs = await import('node:fs/promises');
      await fs.writeFile(path.join(work.dir, 'shop.zod.js'), js);
      await fs.writeFile(path.join(work.dir, 'shop.types.js'), types);
      const Z = require(path.join(work.dir, 'shop.zod.js')) as Record<string, { safeParse(v: unknown): { success: boolean; error?: unknown } }>;
      const good = {
        _id: 'x', name: 'n', placed: new Date(0), address: { city: 'Oslo', zip: null }, lines: [{ sku: 'a', qty: '2' }], code: 3,
        meta: { source: 'web' }, status: 'paid', channel: "it's \"odd\"", tags: ['t'], deleted: null, blob: new Uint8Array(2), big: 5n, extra: { any: 1 },
      };
      assert.deepEqual(Z.OrdersRowSchema!.safeParse(good).error, undefined);
      assert.equal(Z.OrdersRowSchema!.safeParse({ ...good, status: 'lost' }).success, false, 'inline enumeration');
      assert.equal(Z.OrdersRowSchema!.safeParse({ ...good, lines: [{ sku: 'a', qty: true }] }).success, false, 'union member');
      assert.equal(Z.OrdersRowSchema!.safeParse({ ...good, address: { zip: '1' } }).success, false, 'nested required');
      assert.equal(Z.OrdersRowSchema!.safeParse({ ...good, placed: '2020-01-01' }).success, false, 'dates are Dates');
      assert.equal(Z.ChannelSchema!.safeParse('web').success, true);
      assert.equal(Z.Events2024RowSchema!.safeParse({ _id: 'e', at: new Date() }).success, true);
    } finally {
      await work.remove();
    }
  });

  /** Every native type the backend's mapping lists, as an optional field of one more collection. */
  const everyNative = (kind: string): SchemaModel => {
    const model = documentModel();
    const native = codegenFor(kind, { profileName: kind, targets: [] }).mapping.native ?? {};
    const fields: Field[] = Object.keys(native).map((n) => ({ name: `n_${n}`, nativeType: n, type: 'unknown', nullable: false, optional: true }));
    const types = ['bigint', 'decimal', 'timestamp', 'timestamptz', 'bytes', 'uuid', 'reference', 'objectid', 'geopoint', 'json', 'object', 'array'] as const;
    for (const t of types) fields.push({ name: `t_${t}`, nativeType: t, type: t, nullable: true });
    model.namespaces[0]!.entities.push({ name: 'every type', kind: 'collection', fields, primaryKey: { name: '_id_', columns: ['t_objectid'] } } as SchemaModel['namespaces'][0]['entities'][0]);
    return SchemaModel.parse(model);
  };

  for (const kind of ['mongodb', 'firestore', 'mysql']) {
    it(`documents through the ${kind} mapping: every mapped type infers exactly its ts-types type`, async () => {
      const result = await generate(everyNative(kind), codegenFor(kind, { profileName: kind, targets: ['zod'], overrides: DOC_OVERRIDES }));
      const zod = result.files.find((f) => f.path === 'shop.zod.ts')!.content;
      const unchecked = zod.split('\n').filter((l) => /z\.custom<[^>]+>\(\)/.test(l) && !l.includes('z.custom<Meta>()'));
      assert.deepEqual(unchecked, [], 'every mapped type is checked, not only typed (the Meta override aside)');
      const work = await makeWorkDir(`zod-${kind}`);
      try {
        await import('node:fs/promises').then((fs) => fs.writeFile(path.join(work.dir, 'meta.ts'), 'export interface Meta { source: string }\n'));
        const { names, checks } = await writeWithZodChecks(work.dir, result.files);
        assert.ok(checks >= 9, `checked ${checks} schemas`);
        assert.deepEqual(strictDiagnostics(work.dir, names, { ...STRICT_OPTIONS, types: ['node'] }), []);
      } finally {
        await work.remove();
      }
    });
  }
});
