/**
 * Inferred fields through codegen: a SchemaModel v2 with one sampled collection, rendered by the generic
 * ts-types and docs-markdown targets, and the types compiled the way a strict user project would (with a
 * usage file that must type-check, and lines that must not).
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { generate } from '../../src/core/codegen/generate';
import { DOCS_MARKDOWN, TS_TYPES } from '../../src/core/codegen/targets';
import { fingerprint } from '../../src/core/introspect/fingerprint';
import { inferFields } from '../../src/core/introspect/infer';
import { SchemaModel, type Field } from '../../src/core/model';
import { ObjectIdLike, plainClassifier, RefLike, seededRandom, shuffled } from '../support/plainClassifier';

const SAMPLE = 1000;

/** 1,000 orders: `note` in 870 of them, a nested address, lines of two shapes, a union, hostile keys. */
function orders(): unknown[] {
  return Array.from({ length: SAMPLE }, (_, i) => {
    const doc: Record<string, unknown> = {
      _id: new ObjectIdLike(i.toString(16)),
      name: `order ${i}`,
      address: i % 4 ? { city: 'Oslo', zip: '0150' } : { city: 'Rome' },
      lines: i % 5 ? [{ sku: 'a', qty: 1 }, { sku: 'b', qty: '2', gift: true }] : [],
      code: i % 10 ? `C${i}` : i,
      meta: i % 50 ? { source: 'web', tags: ['x'] } : 'legacy',
      deleted: null,
      placed: new Date(i),
      owner: new RefLike(`users/u${i % 7}`),
    };
    if (i < 870) doc.note = 'ring twice';
    if (i % 2) setOwn(doc, 'constructor', 'kept as data');
    if (i % 3 === 0) setOwn(doc, '__proto__', 1);
    return doc;
  });
}

/** An own, enumerable member, also for names an assignment would treat specially. */
function setOwn(doc: object, key: string, value: unknown): void {
  Object.defineProperty(doc, key, { value, enumerable: true, configurable: true, writable: true });
}

function modelOf(fields: Field[], seen: number): SchemaModel {
  return SchemaModel.parse({
    version: 2,
    source: { kind: 'mongodb', database: 'shop' },
    namespaces: [
      {
        name: 'shop',
        entities: [
          {
            name: 'orders',
            kind: 'collection',
            fields,
            primaryKey: { name: '_id_', columns: ['_id'] },
            origin: 'sample',
            stats: { sample: { size: SAMPLE, seen } },
          },
        ],
      },
    ],
  });
}

const STRICT: ts.CompilerOptions = {
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.CommonJS,
  types: [],
  noEmit: true,
  skipLibCheck: true,
};

async function compile(files: Record<string, string>): Promise<string[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-infer-'));
  try {
    for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
    const program = ts.createProgram(Object.keys(files).map((f) => path.join(dir, f)), STRICT);
    return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const USAGE = `import type { Collections, OrdersInsert, OrdersKey, OrdersRow } from './shop.types';
export const row: OrdersRow = {
  _id: 'id', name: 'n', address: { city: 'Oslo' }, lines: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: '2', gift: true }],
  code: 7, meta: 'legacy', deleted: null, placed: new Date(0), owner: 'users/u1', constructor: 'x', '__proto__': 1,
};
export const noted: OrdersRow['note'] = undefined;
export const nested: OrdersRow = { ...row, meta: { source: 'web', tags: [] }, address: { city: 'Rome', zip: '1' } };
export const insert: OrdersInsert = { _id: 'id', name: 'n', address: { city: 'x' }, lines: [], code: 'C1', meta: 'legacy', deleted: null, placed: new Date(0), owner: 'users/u2' };
export const key: OrdersKey = { _id: 'id' };
export const byName: Collections['orders']['Row'] = row;
// @ts-expect-error qty is a number or a string
export const badQty: OrdersRow['lines'][number] = { sku: 'a', qty: true };
// @ts-expect-error city is required in an address
export const badAddress: OrdersRow['address'] = { zip: '1' };
// @ts-expect-error name was in every document
export const missingName: OrdersInsert = { address: { city: 'x' }, lines: [], code: 1, meta: 'm', deleted: null, placed: new Date(0), owner: 'o' };
`;

describe('infer: generated code from inferred fields', () => {
  it('ts-types compiles strictly; uncertain fields carry the sample note, optional ones a `?`', async () => {
    const { fields, seen } = inferFields(orders(), plainClassifier);
    const model = modelOf(fields, seen);
    const result = await generate(model, { profileName: 'infer', targets: ['ts-types', 'docs-markdown'], offers: [TS_TYPES, DOCS_MARKDOWN], mapping: { types: {} } });
    const types = result.files.find((f) => f.path === 'shop.types.ts')!.content;
    assert.match(types, /\/\*\* seen in 87% of 1,000 sampled documents \*\/\n {2}note\?: string;/);
    assert.match(types, /\/\*\* seen in 90% of 1,000 sampled documents \*\/\n {2}code: string \| number;/);
    assert.match(types, /\n {2}address: \{\n {4}city: string;\n {4}zip\?: string;\n {2}\};/);
    assert.match(types, /\n {2}"__proto__"\?: number;/);
    assert.match(types, /\n {2}constructor\?: string \| Object\["constructor"\];/);
    assert.match(types, /\n {2}deleted: null;/);
    const diagnostics = await compile({ 'shop.types.ts': types, 'usage.ts': USAGE });
    assert.deepEqual(diagnostics, [], types);

    const docs = result.files.find((f) => f.path === 'shop.md')!.content;
    assert.match(docs, /Inferred from 1,000 sampled documents/);
    assert.match(docs, /\| `note` \| `string` \| no \| optional \| 87% \|/);
    assert.match(docs, /\| `lines\[\]\.gift` \| `bool \(boolean\)` \| no \| optional \| 50% \|/);
  });

  it('two samplings of the same documents in other orders give the same fingerprint and files', async () => {
    const docs = orders();
    const options = { profileName: 'infer', targets: ['ts-types'], offers: [TS_TYPES], mapping: { types: {} } };
    const first = inferFields(docs, plainClassifier);
    const a = await generate(modelOf(first.fields, first.seen), options);
    const second = inferFields(shuffled(docs, seededRandom(5)), plainClassifier);
    const b = await generate(modelOf(second.fields, second.seen), options);
    assert.equal(b.fingerprint, a.fingerprint);
    assert.equal(fingerprint(modelOf(second.fields, second.seen)), a.fingerprint);
    assert.deepEqual(b.files, a.files);
  });
});
