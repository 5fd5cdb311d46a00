/**
 * The zod target on MongoDB: the seeded shop (ObjectId, Long, Decimal128, Binary, UUID, Timestamp, RegExp,
 * nested objects, arrays of objects, unions, optional and nullable fields, a `$jsonSchema` enum) plus a
 * collection whose name and keys hold `${`, `*\/`, U+2028, quotes, spaces and reserved words, introspected
 * from the server with `.plugboard/overrides.json` applied (an imported user type with its own zod schema, a
 * type without one, a rename, a nested nullable). ts-types and zod compile under tsc --strict with the
 * stricter flags, `z.infer` of every schema is its ts-types type, and every document the driver reads back
 * parses with its Row schema.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Decimal128, Long, MongoClient, ObjectId, type Document } from 'mongodb';
import { generate } from '../../src/core/codegen/generate';
import { DEFAULT_OVERRIDES_FILE, readOverrides } from '../../src/core/codegen/overrides/file';
import { buildLayout } from '../../src/core/codegen/layout';
import { buildZodLayout } from '../../src/core/codegen/zodMapper';
import type { SchemaModel } from '../../src/core/model';
import { CATALOG, codegenFor } from '../support/host';
import { compileStrict } from '../support/httpTsc';
import { scratchDbName, seededShop, type SeededShop } from '../support/mongoBackend';
import { writeWithZodChecks } from '../support/zodCheck';

type Schema = { safeParse(v: unknown): { success: boolean; error?: unknown } };
type ZodModule = Record<string, Schema>;

const HOSTILE_COLLECTION = 'zod "odd" */ café 日本 \u2028 select';
const HOSTILE_DOCS: Document[] = [
  { _id: 'h1', 'x${a}': 'one', 'line\u2028sep': 1, '*/': true, "it's \"q\"": 'q', select: 'reserved', constructor: 'c', 'has space': null, 日本: { 'in ${ner} */': [1, 2] } },
  { _id: 'h2', 'x${a}': 'two', 'line\u2028sep': 2, '*/': false, "it's \"q\"": 'r', select: 'again', 'has space': 'x', 日本: { 'in ${ner} */': [] } },
];

/** The user's own module: a type for order totals and the zod schema that checks it. */
const MONEY_TS = `import { Decimal128 } from 'mongodb';
import { z } from 'zod/v4';
/** An amount with two decimals, as stored. */
export type Money = Decimal128;
export const MoneySchema = z.custom<Money>((value) => value instanceof Decimal128 && /^-?\\d+\\.\\d{2}$/.test(value.toString()));
/** What events carry in \`extra\` (typed only: no schema given). */
export interface EventExtra { deep: unknown }
`;

describe('MongoDB backend: zod schemas', function () {
  this.timeout(180_000);
  let shop: SeededShop | undefined;
  let client: MongoClient;
  const dbName = scratchDbName('zod');
  let model: SchemaModel;
  let work: SeededShop['work'];
  let zodText: string;
  let schemas: ZodModule | undefined;

  before(async () => {
    shop = await seededShop(dbName, 'mongo-zod', (db) => db.collection(HOSTILE_COLLECTION).insertMany(HOSTILE_DOCS));
    ({ client, model, work } = shop);
  });
  after(async () => {
    await shop?.close();
  });

  it('generates zod with the overrides file applied: a user schema, a typed-only user type, a rename, a nested nullable', async () => {
    const overrides = {
      namespaces: {
        [dbName]: {
          orders: { fields: { total: { tsType: 'Money', import: { name: 'Money', from: './money' }, zodSchema: { name: 'MoneySchema', from: './money' } } } },
          events: { fields: { extra: { tsType: 'EventExtra', import: { name: 'EventExtra', from: './money' } } } },
          log: { fields: { msg: { name: 'message' } } },
          people: { fields: { address: { fields: { city: { nullable: true } } } } },
        },
      },
    };
    await fs.mkdir(path.join(work.dir, '.plugboard'));
    await fs.writeFile(path.join(work.dir, DEFAULT_OVERRIDES_FILE), JSON.stringify(overrides, null, 2));
    const loaded = await readOverrides(path.join(work.dir, DEFAULT_OVERRIDES_FILE), true);
    const result = await generate(model, codegenFor('mongodb', { profileName: 'mongo zod', targets: ['zod'], overrides: loaded }));
    assert.deepEqual(result.targets, ['ts-types', 'zod']);
    assert.deepEqual(result.warnings, []);
    zodText = result.files.find((f) => f.path === `${dbName}.zod.ts`)!.content;
    const lines = zodText.split('\n');
    const has = (line: string) => assert.ok(lines.includes(line), `${line}\nnot among:\n${zodText}`);
    has('import { MoneySchema } from "./money";');
    has('import type { EventExtra } from "./money";');
    has('  total: MoneySchema,');
    has('  extra: z.custom<EventExtra>().optional(),');
    has('  message: z.string(),');
    has('    city: z.string().nullable(),');
    has('  customer: z.custom<ObjectId>((value) => value instanceof ObjectId),');
    has('  quantity: z.union([z.number().int(), z.custom<Long>((value) => value instanceof Long)]),');
    has('  quantity: z.union([z.number().int(), z.custom<Long>((value) => value instanceof Long), z.bigint()]),');
    has('  kind: z.enum(["checking", "savings"]).optional(),');
    assert.ok(!zodText.includes('\u2028'), 'U+2028 is escaped wherever it appears');
    await fs.writeFile(path.join(work.dir, 'money.ts'), MONEY_TS);
    const { names, checks } = await writeWithZodChecks(work.dir, result.files);
    assert.ok(checks >= 20, `${checks} schemas checked`);
    const compiled = await compileStrict(work.dir, [...names, 'money.ts']);
    assert.equal(compiled.code, 0, compiled.output);
    schemas = require(path.join(work.dir, 'js', `${dbName}.zod.js`)) as ZodModule;
  });

  it('every document the driver reads back parses with its Row schema', async () => {
    assert.ok(schemas, 'the schemas compiled (see the test above)');
    const backend = CATALOG.get('mongodb');
    const zl = buildZodLayout(model, buildLayout(model, backend.valueMapping), backend.valueMapping).get(dbName)!;
    const db = client.db(dbName);
    let parsed = 0;
    for (const e of model.namespaces[0]!.entities) {
      const schema: Schema = schemas![`${zl.entities.get(e.name)!}RowSchema`]!;
      for (const doc of await db.collection(e.name).find().toArray()) {
        // The rename is the generated client's to make; read straight from the driver, the key is the database's.
        const row: Document = e.name === 'log' ? Object.fromEntries(Object.entries(doc).map(([k, v]) => [k === 'msg' ? 'message' : k, v])) : doc;
        assert.deepEqual(schema.safeParse(row).error, undefined, `${e.name} ${String(doc._id)}`);
        parsed++;
      }
    }
    assert.ok(parsed >= 60, `${parsed} documents parsed`);
  });

  it('the schemas refuse what the driver would not return, and Insert takes what a write may send', async () => {
    const order = await client.db(dbName).collection('orders').findOne({ _id: new ObjectId('64c000000000000000000002') });
    const row = schemas!.OrdersRowSchema!;
    assert.equal(row.safeParse(order).success, true);
    assert.equal(row.safeParse({ ...order, customer: String(order!.customer) }).success, false, 'an ObjectId as a hex string');
    assert.equal(row.safeParse({ ...order, total: Decimal128.fromString('1.5') }).success, false, "the user's MoneySchema checks two decimals");
    assert.equal(row.safeParse({ ...order, quantity: 3n }).success, false, 'a bigint is written, never read');
    assert.equal(row.safeParse({ ...order, quantity: 1.5 }).success, false, 'an int is whole');
    const insert = schemas!.OrdersInsertSchema!;
    const { _id: _ignored, ...fresh } = order!;
    assert.deepEqual(insert.safeParse({ ...fresh, quantity: 3n }).error, undefined, '_id is optional on insert; a long is written as a bigint');
    assert.deepEqual(insert.safeParse({ ...fresh, quantity: Long.fromNumber(3) }).error, undefined);
  });
});
