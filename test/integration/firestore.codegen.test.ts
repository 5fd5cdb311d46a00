/**
 * Code generated from the emulator's messy data: ts-types, firestore-converters and docs-markdown, compiled
 * under tsc --strict (and the stricter flags many projects add), then run against the emulator: Dates in,
 * Timestamps stored, Dates out; subcollection refs with their path parameters; ids checked.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../../src/core/codegen/generate';
import { parseHeader } from '../../src/core/codegen/header';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import type { SchemaModel } from '../../src/core/model';
import { connectAdmin, type AdminClient } from '../support/firestore/admin';
import { startFirestoreEmulator, type FirestoreEmulator } from '../support/firestore/emulator';
import { MESSY_LAST_LOGIN, seedMessyData } from '../support/firestore/messyData';
import { within } from '../support/firestore/within';
import { codegenFor } from '../support/host';
import { compileStrict } from '../support/httpTsc';
import { introspectOnce } from '../support/sessions';
import { compileFolder, listFiles, makeWorkDir, REPO, runProgram } from '../support/workdir';

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
    const result = await generate(model, codegenFor('firestore', { profileName: 'firestore test', targets: ['firestore-converters', 'docs-markdown'] }));
    assert.deepEqual(result.targets, ['ts-types', 'firestore-converters', 'docs-markdown']);
    await writeGeneratedFiles(gen, result.files);
    const names = (await listFiles(gen)).map((f) => path.relative(gen, f));
    assert.deepEqual(names, ['default.converters.ts', 'default.md', 'default.types.ts', 'plugboard-firestore-runtime.ts', 'plugboard.schema.json']);
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
    const strict = await compileStrict(gen, ['default.types.ts', 'default.converters.ts', 'plugboard-firestore-runtime.ts', 'roundtrip.ts']);
    assert.equal(strict.code, 0, strict.output);
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
});
