/**
 * `plugboard introspect|generate|check|health --url mongodb://…` (dist/cli.js in a child process) against the
 * stand-in with a user whose password is the canary: given in MONGODB_PASSWORD or inside a --url-env URL, it
 * must appear in no output and no generated file.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Int32 } from 'mongodb';
import { SchemaModel } from '../../src/core/model';
import { assertNoCanary, CANARY } from '../support/canary';
import { ensureCliBuilt, runCli } from '../support/cli';
import { startMongoStandin, type MongoStandin } from '../support/mongo';
import { seedShop, withMongoClient } from '../support/mongoBackend';
import { listFiles, makeWorkDir, type RunResult } from '../support/workdir';

const USER = 'plugboard';

function expectExit(result: RunResult, code: number, what: string): RunResult {
  assertNoCanary(result.stdout + result.stderr, `the output of ${what}`);
  assert.equal(result.code, code, `${what}: exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

describe('the CLI with mongodb:// URLs', function () {
  this.timeout(90_000);
  let standin: MongoStandin;
  let work: Awaited<ReturnType<typeof makeWorkDir>>;
  let url: string;
  const env = () => ({ MONGODB_PASSWORD: CANARY });

  before(async () => {
    await ensureCliBuilt();
    standin = await startMongoStandin({ user: USER, password: CANARY });
    await withMongoClient(standin.url, (client) => seedShop(client.db('shop')));
    url = `mongodb://${USER}@127.0.0.1:${standin.port}/shop?authSource=admin`;
    work = await makeWorkDir('mongo-cli');
  });
  after(async () => {
    await standin?.stop();
    await work?.remove();
  });

  it('health prints the server version and latency', async () => {
    const r = expectExit(await runCli(['health', '--url', url], { env: env() }), 0, 'health');
    assert.match(r.stdout, /^ok {2}MongoDB 7\.0\.\d+ {2}[\d.]+ ms/);
  });

  it('introspect summarises the database, and --json prints the model', async () => {
    const summary = expectExit(await runCli(['introspect', '--url', url], { env: env() }), 0, 'introspect');
    assert.match(summary.stdout, /shop: 7 collections, \d+ fields/);
    const json = expectExit(await runCli(['introspect', '--url', url, '--json'], { env: env() }), 0, 'introspect --json');
    const model = SchemaModel.parse(JSON.parse(json.stdout));
    assert.deepEqual(model.namespaces.map((n) => n.name), ['shop']);
    assert.equal(model.namespaces[0]!.entities.find((e) => e.name === 'adults')?.kind, 'view');
  });

  it('generate writes the default targets; check says up to date, then drift after a new field', async () => {
    const out = path.join(work.dir, 'gen');
    const gen = expectExit(await runCli(['generate', '--url', url, '--out', out, '--name', 'shop'], { env: env() }), 0, 'generate');
    assert.match(gen.stdout, /Generated ts-types, mongo-crud into/);
    const files = (await listFiles(out)).map((f) => path.relative(out, f));
    assert.deepEqual(files, ['plugboard-mongo-runtime.ts', 'plugboard.schema.json', 'shop.crud.ts', 'shop.types.ts']);
    for (const f of files) assertNoCanary(await fs.readFile(path.join(out, f), 'utf8'), f);
    expectExit(await runCli(['check', '--url', url, '--out', out], { env: env() }), 0, 'check');
    await withMongoClient(standin.url, (client) => client.db('shop').collection('log').insertOne({ at: new Date(), level: 'info', msg: 'x', host: 'web-1', ms: new Int32(1) }));
    const drift = expectExit(await runCli(['check', '--url', url, '--out', out], { env: env() }), 1, 'check after a change');
    assert.match(drift.stdout, /Schema drift/);
    assert.match(drift.stdout, /host/, 'the new field is named');
  });

  it('a password inside a --url-env URL works and is never printed', async () => {
    const secretUrl = `mongodb://${USER}:${encodeURIComponent(CANARY)}@127.0.0.1:${standin.port}/shop?authSource=admin`;
    expectExit(await runCli(['health', '--url-env', 'PB_MONGO_URL'], { env: { PB_MONGO_URL: secretUrl } }), 0, 'health --url-env');
  });

  it('failures exit 3 with one classified line: wrong password, refused port, SRV name not found', async () => {
    const wrong = expectExit(await runCli(['health', '--url', url], { env: { MONGODB_PASSWORD: `${CANARY}-no` } }), 3, 'a wrong password');
    assert.match(wrong.stderr, /^plugboard: AUTHENTICATION_FAILED: /);
    const refused = expectExit(await runCli(['health', '--url', 'mongodb://127.0.0.1:1/'], {}), 3, 'a refused port');
    assert.match(refused.stderr, /^plugboard: CONNECTION_REFUSED: /);
    const srv = expectExit(await runCli(['introspect', '--url', 'mongodb+srv://cluster0.plugboard-test.invalid/shop'], {}), 3, 'an unknown SRV name');
    assert.match(srv.stderr, /^plugboard: HOST_NOT_FOUND: /);
  });

  it('a malformed URL exits 2 without echoing the password', async () => {
    const r = expectExit(await runCli(['introspect', '--url', `mongodb://${USER}:${CANARY}@127.0.0.1:${standin.port}/`], {}), 2, 'a malformed URL');
    assert.match(r.stderr, /^plugboard: INVALID_CONFIG: The MongoDB connection string is malformed/);
  });
});
