/**
 * Code generated from the emulator's messy data: ts-types, firestore-converters, zod and docs-markdown,
 * compiled under tsc --strict (and the stricter flags many projects add) with a type-level check that
 * `z.infer` of every zod schema is its ts-types type, then run against the emulator: Dates in, Timestamps
 * stored, Dates out; subcollection refs with their path parameters; ids checked; every document read back
 * by firebase-admin (subcollections by their path) parsed by its zod Row schema.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../../src/core/codegen/generate';
import { parseHeader } from '../../src/core/codegen/header';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import { buildLayout } from '../../src/core/codegen/layout';
import { buildZodLayout } from '../../src/core/codegen/zodMapper';
import { FIRESTORE_VALUE_MAPPING } from '../../src/backends/firestore/mapping';
import type { SchemaModel } from '../../src/core/model';
import { connectAdmin, type AdminClient } from '../support/firestore/admin';
import { startFirestoreEmulator, type FirestoreEmulator } from '../support/firestore/emulator';
import { MESSY_LAST_LOGIN, seedMessyData } from '../support/firestore/messyData';
import { within } from '../support/firestore/within';
import { codegenFor } from '../support/host';
import { compileStrict } from '../support/httpTsc';
import { introspectOnce } from '../support/sessions';
import { compileFolder, listFiles, makeWorkDir, REPO, runProgram } from '../support/workdir';
import { writeWithZodChecks } from '../support/zodCheck';

type ZodModule = Record<string, { safeParse(v: unknown): { success: boolean; error?: unknown } }>;

/**
 * Every document of an entity, named by its chain of collection ids (`users/orders`: every user's orders),
 * reached by walking down from the root (listDocuments also finds parents that have no data of their own).
 */
async function documentsOf(db: AdminClient['db'], entityName: string): Promise<{ path: string; data: Record<string, unknown> }[]> {
  const [first, ...rest] = entityName.split('/');
  let collections = [db.collection(first!)];
  for (const id of rest) {
    const parents = (await Promise.all(collections.map((c) => c.listDocuments()))).flat();
    collections = parents.map((d) => d.collection(id));
  }
  const snaps = await Promise.all(collections.map((c) => c.get()));
  return snaps.flatMap((snap) => snap.docs.map((d) => ({ path: d.ref.path, data: d.data() })));
}

/** Parses every document of every entity of the model with its Row schema; returns how many. */
async function parseEveryDocument(db: AdminClient['db'], model: SchemaModel, schemas: ZodModule): Promise<number> {
  let parsed = 0;
  const layout = buildZodLayout(model, buildLayout(model, FIRESTORE_VALUE_MAPPING), FIRESTORE_VALUE_MAPPING);
  for (const ns of model.namespaces) {
    for (const e of ns.entities) {
      const schema = schemas[`${layout.get(ns.name)!.entities.get(e.name)!}RowSchema`]!;
      for (const doc of await documentsOf(db, e.name)) {
        assert.deepEqual(schema.safeParse(doc.data).error, undefined, doc.path);
        parsed++;
      }
    }
  }
  return parsed;
}

describe('code generated for Firestore', function () {
  this.timeout(120_000);
  let emulator: FirestoreEmulator;
  let admin: AdminClient;
  let work: Awaited<ReturnType<typeof makeWorkDir>>;
  let model: SchemaModel;
  let gen: string;

  before(async () => {
    emulator = await startFirestoreEmulator();
    admin = connectAdmin(emulator.host);
    await within(seedMessyData(admin.db), 10_000, 'seeding');
    work = await makeWorkDir('firestore-codegen');
    gen = path.join(work.dir, 'gen');
    model = (await introspectOnce({ id: 'fs', name: 'fs', kind: 'firestore', options: { projectId: admin.projectId, emulatorHost: emulator.host } }, {}, {})).model;
  });
  after(async () => {
    await Promise.allSettled([admin?.close(), work?.remove()]);
    await emulator?.stop();
  });

  it('writes types, converters with their runtime, and docs, each with our header', async () => {
    const result = await generate(model, codegenFor('firestore', { profileName: 'firestore test', targets: ['firestore-converters', 'zod', 'docs-markdown'] }));
    assert.deepEqual(result.targets, ['ts-types', 'firestore-converters', 'zod', 'docs-markdown']);
    await writeGeneratedFiles(gen, result.files);
    const names = (await listFiles(gen)).map((f) => path.relative(gen, f));
    assert.deepEqual(names, ['default.converters.ts', 'default.md', 'default.types.ts', 'default.zod.ts', 'plugboard-firestore-runtime.ts', 'plugboard.schema.json']);
    const zod = result.files.find((f) => f.path === 'default.zod.ts')!.content.split('\n');
    for (const line of [
      '/** collection users/{userId}/orders users/orders: UsersOrdersRow. */',
      '  createdAt: z.custom<Timestamp>((value) => value instanceof Timestamp).optional(),',
      '  createdAt: z.union([z.custom<Timestamp>((value) => value instanceof Timestamp), z.date()]).optional(),',
      '    location: z.custom<GeoPoint>((value) => value instanceof GeoPoint).optional(),',
      '  manager: z.custom<DocumentReference>((value) => value instanceof DocumentReference).nullable().optional(),',
      '  avatar: z.custom<Buffer>((value) => Buffer.isBuffer(value)).optional(),',
    ]) {
      assert.ok(zod.includes(line), `${line}\nnot among:\n${zod.join('\n')}`);
    }
    for (const file of result.files) assert.equal(parseHeader(file.content)?.fingerprint, result.fingerprint, file.path);
    const types = result.files.find((f) => f.path === 'default.types.ts')!.content;
    assert.match(types, /import type \{ [^}]*Timestamp[^}]*\} from "firebase-admin\/firestore";/);
    assert.match(types, /\/\*\* collection users\/\{userId\}\/orders users\/orders \*\/\nexport interface UsersOrdersRow \{/);
    assert.match(types, /^ {2}createdAt\?: Timestamp;/m);
    assert.match(types, /^ {2}createdAt\?: Timestamp \| Date;/m, 'a Date is accepted on write');
    assert.match(types, /^ {4}location\?: GeoPoint;/m);
    assert.match(types, /^ {2}manager\?: DocumentReference \| null;/m);
    assert.match(types, /^ {2}avatar\?: Buffer;/m);
    assert.match(types, /^ {2}"users\/orders\/items": \{ Row: UsersOrdersItemsRow;/m);
    const converters = result.files.find((f) => f.path === 'default.converters.ts')!.content;
    assert.match(converters, /export function usersOrdersItemsDoc\(db: Firestore, userId: string, orderId: string, itemId: string\)/);
    const runtime = result.files.find((f) => f.path === 'plugboard-firestore-runtime.ts')!.content;
    for (const name of ['GOOGLE_CLOUD_PROJECT', 'GOOGLE_APPLICATION_CREDENTIALS', 'FIRESTORE_EMULATOR_HOST', 'FIRESTORE_DATABASE_ID']) assert.match(runtime, new RegExp(`^//.*${name}`, 'm'), `the header names ${name}`);
    assert.doesNotMatch(runtime + converters, /initializeApp\(\{\s*\/\*/, 'no "your config here" placeholder');
    assert.doesNotMatch(runtime + converters, new RegExp(admin.projectId), 'the project comes from the environment');
    const docs = result.files.find((f) => f.path === 'default.md')!.content;
    assert.match(docs, /reference → users/);
    assert.match(docs, /users\/\{userId\}\/orders/);
  });

  it('compiles under tsc --strict, and under the stricter flags', async () => {
    await fs.copyFile(path.join(REPO, 'test', 'fixtures', 'firestore-roundtrip.ts'), path.join(gen, 'roundtrip.ts'));
    const plain = await compileFolder(gen, { emit: false, types: ['node'] });
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    const zod = await fs.readFile(path.join(gen, 'default.zod.ts'), 'utf8');
    const { names, checks } = await writeWithZodChecks(gen, [{ path: 'default.zod.ts', target: 'zod', content: zod }]);
    assert.ok(checks >= 12, `${checks} zod schemas checked`);
    const strict = await compileStrict(gen, ['default.types.ts', 'default.converters.ts', 'plugboard-firestore-runtime.ts', 'roundtrip.ts', ...names]);
    assert.equal(strict.code, 0, strict.output);
  });

  it('zod: every document firebase-admin reads back (subcollections by path) parses with its Row schema', async () => {
    const schemas = require(path.join(gen, 'js', 'default.zod.js')) as ZodModule;
    assert.ok((await parseEveryDocument(admin.db, model, schemas)) >= 9);
    const alice = (await admin.db.doc('users/alice').get()).data()!;
    assert.equal(schemas.UsersRowSchema!.safeParse({ ...alice, createdAt: new Date() }).success, false, 'a Timestamp is read, a Date only written');
    assert.equal(schemas.UsersInsertSchema!.safeParse({ ...alice, createdAt: new Date() }).success, true, 'a Date is accepted on write');
    assert.equal(schemas.UsersRowSchema!.safeParse({ ...alice, manager: 'users/bob' }).success, false, 'a reference is a DocumentReference');
  });

  it('round-trips documents through the converters against the emulator', async () => {
    const run = await runProgram(process.execPath, [path.join(gen, 'js', 'roundtrip.js')], {
      cwd: gen,
      env: { ...process.env, FIRESTORE_EMULATOR_HOST: emulator.host, GOOGLE_CLOUD_PROJECT: admin.projectId },
      timeoutMs: 30_000,
    });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    assert.deepEqual(out, {
      createdAtIsDate: true,
      createdAt: '2024-05-05T06:07:08.009Z',
      storedAsTimestamp: true,
      sinceIsDate: true,
      age: 41,
      location: [59.91, 10.75],
      avatar: [9, 8, 7],
      manager: 'users/alice',
      aliceLastLogin: MESSY_LAST_LOGIN.toISOString(),
      aliceCreatedAtIsDate: true,
      alicePrefSinceIsDate: true,
      orders: [['users/zed/orders/o1', 'new', true]],
      items: [['i1', 'SKU-1', 1], ['i2', 'SKU-2', 3]],
      byName: ['zed'],
      refused: 'userId is not a valid Firestore document id (non-empty, no "/", not "." or "..", not __name__, at most 1500 bytes)',
    });
  });

  describe('for hostile names', () => {
    let client: AdminClient;
    let out: string;
    let hostileModel: SchemaModel;
    let zodNames: string[] = [];
    const when = new Date(Date.UTC(2023, 1, 3, 4, 5, 6, 7));
    const HOSTILE_DOC = { 'with space': 1, constructor: 'c', toString: 'ts', 'a.b': true, '"quoted"': 'q', ünï: 'u', at: when, 'x${y}': 2, 'line\u2028sep */': { 'in${ner}': 'n' } };
    /**
     * Collection ids that differ only in case, with a quote, a space, unicode, a reserved word; subcollections,
     * one under `documents` (whose parameter would be called documentId, like the runtime's id check).
     */
    const PATHS = ['Users/u1', 'users/u1', 'with"quote é/d1', 'class/c1', 'odd name/o1', 'odd name/o1/sub-items/s1', 'documents/o1', 'documents/o1/db/o1'];

    before(async () => {
      client = connectAdmin(emulator.host);
      const batch = client.db.batch();
      for (const p of PATHS) batch.set(client.db.doc(p), HOSTILE_DOC);
      await within(batch.commit(), 10_000, 'seeding hostile names');
      const hostile = (await introspectOnce({ id: 'fs', name: 'fs', kind: 'firestore', options: { projectId: client.projectId, emulatorHost: emulator.host } }, {}, {})).model;
      out = path.join(work.dir, 'hostile');
      const result = await generate(hostile, codegenFor('firestore', { profileName: 'hostile', targets: ['firestore-converters', 'zod', 'docs-markdown'] }));
      await writeGeneratedFiles(out, result.files);
      hostileModel = hostile;
      zodNames = (await writeWithZodChecks(out, result.files.filter((f) => f.target === 'zod'))).names;
    });
    after(async () => {
      await client?.close();
    });

    it('compiles under the strict flags', async () => {
      const compiled = await compileStrict(out, ['default.types.ts', 'default.converters.ts', 'plugboard-firestore-runtime.ts', ...zodNames]);
      assert.equal(compiled.code, 0, compiled.output);
    });

    it('zod: every hostile document parses with its Row schema', async () => {
      const schemas = require(path.join(out, 'js', 'default.zod.js')) as ZodModule;
      assert.equal(await parseEveryDocument(client.db, hostileModel, schemas), PATHS.length);
    });

    it('reaches every collection through its own helpers and reads every field back', async () => {
      const mod = require(path.join(out, 'js', 'default.converters.js')) as Record<string, unknown>;
      type Ref = { path: string; get(): Promise<{ docs: { id: string; data(): Record<string, unknown> }[] }> };
      const collectionFns = Object.entries(mod).filter(([name, fn]) => name.endsWith('Collection') && typeof fn === 'function') as [string, (...args: unknown[]) => Ref][];
      const reached = new Map<string, Record<string, unknown>>();
      for (const [, fn] of collectionFns) {
        const ref = fn(client.db, ...Array.from({ length: fn.length - 1 }, () => 'o1'));
        for (const doc of (await ref.get()).docs) reached.set(`${ref.path}/${doc.id}`, doc.data());
      }
      assert.deepEqual([...reached.keys()].sort(), [...PATHS].sort());
      for (const data of reached.values()) assert.deepEqual(data, HOSTILE_DOC);
    });
  });
});
