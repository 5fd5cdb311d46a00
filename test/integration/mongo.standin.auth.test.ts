/**
 * The MongoDB stand-in's own behaviour: SCRAM authentication, the auth gate, the PLUGBOARD_TEST_MONGO_URL
 * switch and the `mongo:standin` CLI.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { MongoClient, MongoServerError } from 'mongodb';
import { mongoForTests, REAL_MONGO_ENV, startMongoStandin, type MongoStandin } from '../support/mongo';

const FAST = { serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000, socketTimeoutMS: 10_000 };
const USER = 'plugboard';
const PASSWORD = `pw:${randomBytes(6).toString('hex')}/é`;

async function withClient<T>(url: string, use: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(url, FAST);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

describe('MongoDB stand-in: authentication', function () {
  this.timeout(20_000);
  let standin: MongoStandin;
  let hostPort: string;

  before(async () => {
    standin = await startMongoStandin({ user: USER, password: PASSWORD });
    hostPort = `127.0.0.1:${standin.port}`;
  });
  after(() => standin?.stop());

  it('lets the right password in with SCRAM-SHA-256 and SCRAM-SHA-1', async () => {
    assert.ok(standin.url.startsWith(`mongodb://${USER}:`));
    const status = await withClient(standin.url, (c) => c.db('admin').command({ connectionStatus: 1 }));
    assert.deepEqual(status.authInfo.authenticatedUsers, [{ user: USER, db: 'admin' }]);
    const sha1 = `${standin.url}?authMechanism=SCRAM-SHA-1`;
    assert.deepEqual(await withClient(sha1, (c) => c.db('x').collection('y').countDocuments()), 0);
  });

  it('refuses a wrong password with AuthenticationFailed (18), without echoing it', async () => {
    const wrong = `mongodb://${USER}:${encodeURIComponent('not-' + PASSWORD)}@${hostPort}/`;
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-1']) {
      const err = await withClient(`${wrong}?authMechanism=${mechanism}`, (c) => c.connect()).then(
        () => assert.fail('connected with a wrong password'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof MongoServerError, String(err));
      assert.equal(err.code, 18);
      assert.ok(!err.message.includes(PASSWORD) && !JSON.stringify(err).includes(PASSWORD));
    }
    const unknownUser = `mongodb://nobody:${encodeURIComponent(PASSWORD)}@${hostPort}/`;
    await assert.rejects(withClient(unknownUser, (c) => c.connect()), (e: MongoServerError) => e.code === 18);
  });

  it('answers ping but refuses data commands without authentication (13)', async () => {
    await withClient(`mongodb://${hostPort}/`, async (c) => {
      assert.deepEqual(await c.db('admin').command({ ping: 1 }), { ok: 1 });
      await assert.rejects(c.db('admin').admin().listDatabases(), (e: MongoServerError) => e.code === 13 && e.codeName === 'Unauthorized');
      await assert.rejects(c.db('x').collection('y').insertOne({ a: 1 }), (e: MongoServerError) => e.code === 13);
    });
  });

  it('closes every connection on stop', async () => {
    const other = await startMongoStandin();
    const client = new MongoClient(other.url, FAST);
    await client.db('x').command({ ping: 1 });
    assert.ok(other.connections > 0);
    await other.stop();
    assert.equal(other.connections, 0);
    await client.close();
  });
});

describe('MongoDB stand-in: mongoForTests and the CLI', function () {
  this.timeout(30_000);

  it('uses PLUGBOARD_TEST_MONGO_URL when set, the stand-in otherwise', async () => {
    const saved = process.env[REAL_MONGO_ENV];
    const outer = await startMongoStandin();
    try {
      delete process.env[REAL_MONGO_ENV];
      const own = await mongoForTests();
      assert.equal(own.kind, 'standin');
      // Seeding through the state stores documents exactly as an insert over the wire would.
      own.standin?.state.seed('seeded', 'things', [{ n: 1 }, { _id: 'b', n: 2.5 }]);
      const seen = await withClient(own.url, (c) => c.db('seeded').collection('things').find({}, { projection: { n: 1 } }).toArray());
      assert.deepEqual(seen.map((d) => [typeof d._id === 'string' ? d._id : d._id.constructor.name, d.n]), [['ObjectId', 1], ['b', 2.5]]);
      await own.stop();
      process.env[REAL_MONGO_ENV] = outer.url;
      const real = await mongoForTests();
      assert.deepEqual({ kind: real.kind, url: real.url }, { kind: 'real', url: outer.url });
      await real.stop();
      assert.deepEqual(await withClient(real.url, (c) => c.db('admin').command({ ping: 1 })), { ok: 1 }, 'stop() leaves a real server running');
    } finally {
      if (saved === undefined) delete process.env[REAL_MONGO_ENV];
      else process.env[REAL_MONGO_ENV] = saved;
      await outer.stop();
    }
  });

  it('runs from the command line, prints the URL without the password, stops on SIGTERM', async () => {
    const main = path.resolve(__dirname, '..', 'support', 'mongo', 'main.js');
    const child = spawn(process.execPath, [main, '--port', '0', '--user', USER], { env: { ...process.env, MONGO_STANDIN_PASSWORD: PASSWORD }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 10 s; output so far: ${output}`)), 10_000);
        child.stdout.on('data', () => {
          const match = /mongodb:\/\/\S+/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[0]);
          }
        });
        child.once('exit', () => reject(new Error(`exited early: ${output}`)));
      });
      assert.ok(!output.includes(PASSWORD), 'the password is not printed');
      const port = new URL(line).port;
      const url = `mongodb://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/`;
      assert.deepEqual(await withClient(url, (c) => c.db('admin').command({ ping: 1 })), { ok: 1 });
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 5000))]);
      assert.equal(code, 0, output);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
