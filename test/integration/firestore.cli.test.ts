/**
 * The bundled CLI (dist/cli.js) with Firestore the way a developer runs it: `--url firestore://<project>`,
 * the emulator from FIRESTORE_EMULATOR_HOST and the key from GOOGLE_APPLICATION_CREDENTIALS. The private key
 * of the key file is the canary: it must show up in no output and no generated file.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SchemaModel } from '../../src/core/model';
import { assertNoCanary, CANARY } from '../support/canary';
import { ensureCliBuilt, runCli } from '../support/cli';
import { connectAdmin, type AdminClient } from '../support/firestore/admin';
import { startFirestoreEmulator, type FirestoreEmulator } from '../support/firestore/emulator';
import { seedMessyData } from '../support/firestore/messyData';
import { MESSY_MODEL_LINES, modelLines } from '../support/firestore/modelLines';
import { assertNoPrivateKey, makeServiceAccount, withFields } from '../support/firestore/serviceAccountKey';
import { within } from '../support/firestore/within';
import { freePort } from '../support/net';
import { listFiles, makeWorkDir, type RunResult } from '../support/workdir';

describe('the CLI with Firestore', function () {
  this.timeout(120_000);
  let emulator: FirestoreEmulator;
  let admin: AdminClient;
  let work: Awaited<ReturnType<typeof makeWorkDir>>;
  let url: string;
  let env: Record<string, string>;
  const account = makeServiceAccount('plugboard-cli-key');

  /** Output never holds the key (nor the run's canary); failures show the exit code and both streams. */
  function expectExit(result: RunResult, code: number, what: string): RunResult {
    assertNoPrivateKey(result.stdout + result.stderr, account.privateKey, `the output of ${what}`);
    assertNoCanary(result.stdout + result.stderr, `the output of ${what}`);
    assert.equal(result.code, code, `${what}: exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    return result;
  }

  before(async () => {
    await ensureCliBuilt();
    emulator = await startFirestoreEmulator();
    admin = connectAdmin(emulator.host);
    await within(seedMessyData(admin.db), 10_000, 'seeding');
    work = await makeWorkDir('firestore-cli');
    url = `firestore://${admin.projectId}`;
    // The key sits beside the emulator: firebase-admin ignores credentials there, but the CLI still reads it.
    const keyFile = path.join(work.dir, 'key.json');
    await fs.writeFile(keyFile, account.json);
    env = { FIRESTORE_EMULATOR_HOST: emulator.host, GOOGLE_APPLICATION_CREDENTIALS: keyFile };
  });
  after(async () => {
    await Promise.allSettled([admin?.close(), work?.remove()]);
    await emulator?.stop();
  });

  it('health: a cheap read against the emulator FIRESTORE_EMULATOR_HOST names', async () => {
    const run = expectExit(await runCli(['health', '--url', url], { env }), 0, 'health');
    assert.match(run.stdout, new RegExp(`^ok  Firestore emulator at ${emulator.host.replace(/\./g, '\\.')}  [\\d.]+ ms\\n$`));
  });

  it('introspect --json: the messy data\'s model', async () => {
    const run = expectExit(await runCli(['introspect', '--url', url, '--json'], { env }), 0, 'introspect');
    assert.deepEqual(modelLines(SchemaModel.parse(JSON.parse(run.stdout))), MESSY_MODEL_LINES);
  });

  it('generate, then check: up to date, until the data changes shape', async () => {
    const out = path.join(work.dir, 'gen');
    const gen = expectExit(await runCli(['generate', '--url', `${url}?depth=1`, '--out', out], { env }), 0, 'generate');
    assert.match(gen.stdout, /Generated ts-types, firestore-converters into/);
    assert.deepEqual((await listFiles(out)).map((f) => path.relative(out, f)), ['default.converters.ts', 'default.types.ts', 'plugboard-firestore-runtime.ts', 'plugboard.schema.json']);
    for (const file of await listFiles(out)) {
      const text = await fs.readFile(file, 'utf8');
      assertNoPrivateKey(text, account.privateKey, path.basename(file));
      assert.ok(!text.includes(account.fields.client_email), `${path.basename(file)} names the service account`);
    }
    expectExit(await runCli(['check', '--url', `${url}?depth=1`, '--out', out], { env }), 0, 'check');
    await admin.db.doc('products/p2').set({ title: 'Desk', price: 120, colour: 'oak' });
    const drift = expectExit(await runCli(['check', '--url', `${url}?depth=1`, '--out', out], { env }), 1, 'check after a change');
    assert.match(drift.stdout, /Schema drift/);
    assert.match(drift.stdout, /colour/);
    await admin.db.doc('products/p2').delete();
  });

  it('a malformed key in GOOGLE_APPLICATION_CREDENTIALS: exit 2, the field named, nothing quoted', async () => {
    const bad = path.join(work.dir, 'bad-key.json');
    await fs.writeFile(bad, withFields(account, { private_key: `-----BEGIN PRIVATE KEY-----\n${CANARY}\n-----END PRIVATE KEY-----\n` }));
    const run = expectExit(await runCli(['health', '--url', url], { env: { GOOGLE_APPLICATION_CREDENTIALS: bad, FIRESTORE_EMULATOR_HOST: '' } }), 2, 'health with a bad key');
    assert.match(run.stderr, /^plugboard: INVALID_CONFIG: The service-account key's "private_key" cannot be read as a private key/);
  });

  it('neither an emulator nor a key: exit 2, saying which variables to set', async () => {
    const run = expectExit(await runCli(['health', '--url', url], { env: { GOOGLE_APPLICATION_CREDENTIALS: '', FIRESTORE_EMULATOR_HOST: '' } }), 2, 'health without credentials');
    assert.match(run.stderr, /GOOGLE_APPLICATION_CREDENTIALS/);
    assert.match(run.stderr, /FIRESTORE_EMULATOR_HOST/);
  });

  it('the emulator down: exit 3 with CONNECTION_REFUSED, at once', async () => {
    const started = Date.now();
    const run = expectExit(await runCli(['health', '--url', url], { env: { ...env, FIRESTORE_EMULATOR_HOST: `127.0.0.1:${await freePort()}` } }), 3, 'health with the emulator down');
    assert.match(run.stderr, /^plugboard: CONNECTION_REFUSED: /);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });

  it('a valid key and no emulator: Google is tried (here: unreachable) and the key shows nowhere', async () => {
    const run = expectExit(await runCli(['health', '--url', url, '--timeout', '4000'], { env: { ...env, FIRESTORE_EMULATOR_HOST: '' } }), 3, 'health against Cloud Firestore');
    assert.match(run.stderr, /^plugboard: (HOST_NOT_FOUND|AUTHENTICATION_FAILED|CONNECTION_TIMEOUT): /);
  });
});
