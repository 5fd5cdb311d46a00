/**
 * The MongoDB backend's targets from an introspected shop: ts-types, mongo-crud and docs-markdown written with
 * headers, compiled with `tsc --strict`, and the generated mongo-crud client run against the server (insert →
 * findById → find → update → delete), reading values back to prove the types are what the driver returns.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { MONGO_VALUE_MAPPING } from '../../src/backends/mongodb/mapping';
import { generate } from '../../src/core/codegen/generate';
import { DEFAULT_TYPES } from '../../src/core/codegen/mapping';
import { parseHeader } from '../../src/core/codegen/header';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import type { Field, SchemaModel } from '../../src/core/model';
import { codegenFor } from '../support/host';
import { compileStrict } from '../support/httpTsc';
import { scratchDbName, seededShop, type SeededShop } from '../support/mongoBackend';
import { compileFolder, listFiles, REPO } from '../support/workdir';

type Scenarios = Record<string, (db: Db) => Promise<void>>;

/** The scenarios test/fixtures/mongo-crud-driver.ts must export, so mocha can name one test each. */
const SCENARIOS = [
  'people: insertOne, findById by ObjectId and by hex string, find, updateOne, deleteOne',
  'orders: read back as the classes the types name',
  'events: string ids, Binary, UUID, Timestamp and RegExp read back as typed',
  'products: a long written as a bigint stays a long; unions of decimal and double',
  'accounts: typed by the validator',
  'adults: a view reads; createClient also takes a MongoClient',
];

/** The class (or typeof) of a value as the driver returned it, named the way the TypeScript mapping names it. */
function runtimeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value !== 'object') return typeof value;
  const name = (value as object).constructor?.name ?? 'Object';
  return name === 'Object' ? 'object' : name;
}

/** The alternatives a mapped row type allows, e.g. `number | Long` → number, Long. */
function allowed(f: Field): string[] {
  const t = MONGO_VALUE_MAPPING.native?.[f.nativeType] ?? MONGO_VALUE_MAPPING.types[f.type] ?? DEFAULT_TYPES[f.type];
  return t.row.split(' | ').map((s) => (s === 'Document' ? 'object' : s === 'unknown[]' ? 'array' : s));
}

describe('MongoDB backend: generated clients', function () {
  this.timeout(120_000);
  let shop: SeededShop | undefined;
  let client: MongoClient;
  const dbName = scratchDbName('codegen');
  let model: SchemaModel;
  let work: SeededShop['work'];
  let gen: string;
  let stem: string;
  let scenarios: Scenarios | undefined;

  before(async () => {
    shop = await seededShop(dbName, 'mongo-codegen');
    ({ client, model, work } = shop);
    gen = path.join(work.dir, 'gen');
    stem = dbName; // scratch names are lower-case ASCII: the file stem is the name itself
  });
  after(async () => {
    await shop?.close();
  });

  it('the value mapping is what the driver returns: every seeded value, read with its defaults', async () => {
    const db = client.db(dbName);
    let checked = 0;
    for (const e of model.namespaces[0]!.entities) {
      for (const doc of await db.collection(e.name).find().toArray()) {
        for (const f of e.fields) {
          const value = (doc as Record<string, unknown>)[f.name];
          if (value === undefined) continue;
          const alternatives = f.types?.length ? f.types.flatMap((t) => allowed({ ...f, ...t })) : allowed(f);
          if (f.nullable) alternatives.push('null');
          if (f.values) alternatives.push('string');
          assert.ok(alternatives.includes(runtimeName(value)), `${e.name}.${f.name} (${f.nativeType}) read back as ${runtimeName(value)}, types say ${alternatives.join(' | ')}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 200, `checked ${checked} values`);
  });

  it('writes ts-types, mongo-crud and docs-markdown with our header, one module per database', async () => {
    const result = await generate(model, codegenFor('mongodb', { profileName: 'shop "profile"', targets: ['mongo-crud', 'docs-markdown'] }));
    assert.deepEqual(result.targets, ['ts-types', 'mongo-crud', 'docs-markdown'], 'mongo-crud pulls in the types it imports');
    const written = await writeGeneratedFiles(gen, result.files);
    assert.deepEqual((await listFiles(gen)).map((f) => path.relative(gen, f)), [`${stem}.crud.ts`, `${stem}.md`, `${stem}.types.ts`, 'plugboard-mongo-runtime.ts', 'plugboard.schema.json']);
    for (const file of written.written) {
      const text = await fs.readFile(file, 'utf8');
      assert.equal(parseHeader(text)?.fingerprint, result.fingerprint, `header of ${file}`);
      assert.doesNotMatch(text, /mongodb(\+srv)?:\/\/[^`'"\s]*@|127\.0\.0\.1:\d+/, `${file} holds no connection string`);
    }
    const crud = await fs.readFile(path.join(gen, `${stem}.crud.ts`), 'utf8');
    assert.match(crud, /MONGODB_URI/, 'the module names the environment variable for the connection string');
    const types = await fs.readFile(path.join(gen, `${stem}.types.ts`), 'utf8');
    assert.match(types, /seen in 25% of 4 sampled documents \*\/\n {2}nickname\?: string;/, 'uncertain fields say how sure they are');
    assert.match(types, /quantity: number \| Long;/, 'int | long merges into one union');
    const again = await writeGeneratedFiles(gen, (await generate(model, codegenFor('mongodb', { profileName: 'shop "profile"', targets: ['mongo-crud', 'docs-markdown'] }))).files);
    assert.deepEqual([again.written.length, again.unchanged.length], [0, 5], 'regenerating an unchanged schema changes nothing on disk');
    await fs.writeFile(path.join(gen, 'shop.ts'), `export * from './${stem}.crud';\nexport type * as T from './${stem}.types';\n`);
  });

  it('the generated files compile with tsc --strict, without @types/node, and with the stricter flags projects add', async () => {
    const plain = await compileFolder(gen, { emit: false, types: [] });
    assert.equal(plain.code, 0, `tsc --strict failed:\n${plain.stdout}${plain.stderr}`);
    const strict = await compileStrict(gen, [`${stem}.types.ts`, `${stem}.crud.ts`, 'plugboard-mongo-runtime.ts'], { emit: false });
    assert.equal(strict.code, 0, `tsc with the stricter flags failed:\n${strict.output}`);
  });

  it('a program using the client compiles with tsc --strict (and misuse does not)', async () => {
    await fs.copyFile(path.join(REPO, 'test', 'fixtures', 'mongo-crud-driver.ts'), path.join(gen, 'mongo-crud-driver.ts'));
    const result = await compileFolder(gen, { emit: true, types: ['node'] });
    assert.equal(result.code, 0, `tsc --strict failed:\n${result.stdout}${result.stderr}`);
    scenarios = (require(path.join(gen, 'js', 'mongo-crud-driver.js')) as { scenarios: Scenarios }).scenarios;
    assert.deepEqual(Object.keys(scenarios), SCENARIOS);
  });

  describe('round trips', () => {
    before(function () {
      if (!scenarios) throw new Error('the client did not compile; see the test above');
    });
    for (const name of SCENARIOS) {
      it(name, async () => {
        await scenarios![name]!(client.db(dbName));
      });
    }
  });
});
