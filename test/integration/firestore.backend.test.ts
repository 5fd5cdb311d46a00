/**
 * The Firestore backend against the JS emulator (test/support/firestore), through the catalog's driver as
 * the editor and the CLI use it: introspection of messy data compared line by line with what it must be,
 * stable fingerprints, bounded samples, depth and the collections hint; Cloud Firestore's refusals (answered by
 * a gRPC server that speaks Firestore's protocol); a stopped emulator, a silent host, cancellation; and the
 * service-account key, which must appear nowhere.
 */
import * as assert from 'node:assert/strict';
import type { Session } from '../../src/core/backend';
import { fingerprint } from '../../src/core/introspect/fingerprint';
import { isPlugboardError, type PlugboardError } from '../../src/core/errors';
import { SchemaModel, type ConnectionProfile, type Secret } from '../../src/core/model';
import { connectAdmin, type AdminClient } from '../support/firestore/admin';
import { startFirestoreEmulator, type FirestoreEmulator } from '../support/firestore/emulator';
import { seedMessyData } from '../support/firestore/messyData';
import { MESSY_MODEL_LINES, modelLines } from '../support/firestore/modelLines';
import { writeRawDocument } from '../support/firestore/rawSeed';
import { assertNoPrivateKey, makeServiceAccount, withFields } from '../support/firestore/serviceAccountKey';
import { startStatusServer } from '../support/firestore/statusServer';
import { within } from '../support/firestore/within';
import { CATALOG, testHost, type TestHost } from '../support/host';
import { freePort, startBlackHole } from '../support/net';

const STEP_MS = 10_000;

const profile = (options: Record<string, unknown>): ConnectionProfile => ({ id: 'fs-test', name: 'fs-test', kind: 'firestore', options });

async function open(options: Record<string, unknown>, secret: Secret = {}, host: TestHost = testHost()): Promise<Session> {
  const driver = await CATALOG.driver('firestore');
  return within(driver.connect(profile(options), secret, host), STEP_MS, 'connecting');
}

async function failure(options: Record<string, unknown>, secret: Secret = {}, host: TestHost = testHost()): Promise<{ err: PlugboardError; ms: number }> {
  const started = Date.now();
  const err = await open(options, secret, host).then(
    async (s) => {
      await s.close();
      assert.fail('connecting was expected to fail');
    },
    (e: unknown) => e,
  );
  assert.ok(isPlugboardError(err), `not a PlugboardError: ${String(err)}`);
  return { err, ms: Date.now() - started };
}

async function introspect(options: Record<string, unknown>): Promise<SchemaModel> {
  const session = await open(options);
  try {
    return SchemaModel.parse(await within(session.introspect({}), STEP_MS, 'introspecting'));
  } finally {
    await session.close();
  }
}


describe('Firestore backend on the emulator', function () {
  this.timeout(60_000);
  let emulator: FirestoreEmulator;
  let messy: AdminClient;
  const admins: AdminClient[] = [];
  const base = () => ({ projectId: messy.projectId, emulatorHost: emulator.host });

  before(async () => {
    emulator = await startFirestoreEmulator();
    messy = connectAdmin(emulator.host);
    admins.push(messy);
    await within(seedMessyData(messy.db), STEP_MS, 'seeding');
  });
  after(async () => {
    await Promise.allSettled(admins.map((a) => a.close()));
    await emulator?.stop();
  });

  it('introspects messy data: optional vs null, int vs double, maps, arrays of maps, refs, subcollections by path', async () => {
    const model = await introspect(base());
    assert.deepEqual(model.source, { kind: 'firestore', database: `${messy.projectId}/(default)`, serverVersion: `Firestore emulator at ${emulator.host}` });
    assert.deepEqual(model.namespaces.map((ns) => ns.name), ['(default)']);
    assert.deepEqual(modelLines(model), MESSY_MODEL_LINES);
    const entities = model.namespaces[0]!.entities;
    assert.deepEqual(
      entities.map((e) => [e.name, e.kind, e.path, e.parent?.entity, e.origin, e.stats?.sample]),
      [
        ['products', 'collection', undefined, undefined, 'sample', { size: 500, seen: 1 }],
        ['users', 'collection', undefined, undefined, 'sample', { size: 500, seen: 3 }],
        ['users/orders', 'collection', 'users/{userId}/orders', 'users', 'sample', { size: 500, seen: 2 }],
        ['users/orders/items', 'collection', 'users/{userId}/orders/{orderId}/items', 'users/orders', 'sample', { size: 500, seen: 2 }],
      ],
      'users/dave has orders but no fields of its own: queries never return it, so its orders are not sampled',
    );
    const users = entities[1]!;
    const field = (name: string) => users.fields.find((f) => f.name === name)!;
    assert.equal(field('name').confidence, 1);
    assert.equal(field('age').confidence, 0.6667, 'present in 2 of 3 documents');
    assert.deepEqual([field('nickname').nullable, field('nickname').optional], [true, true], 'null where present, absent elsewhere');
    assert.deepEqual([field('manager').nullable, field('manager').refPath], [true, 'users']);
    assert.equal(entities.some((e) => e.name === 'scratch'), false, 'a collection whose documents were all deleted does not exist');
  });

  it('gives the same fingerprint for two samplings of the same data', async () => {
    const [first, second] = [await introspect(base()), await introspect(base())];
    assert.equal(fingerprint(first), fingerprint(second));
    assert.deepEqual(first, { ...second, source: first.source });
  });

  it('keeps an integral double written by another SDK a double', async () => {
    const client = connectAdmin(emulator.host);
    admins.push(client);
    writeRawDocument(emulator.state, client.projectId, 'numbers/n1', { d: { double_value: 2 }, i: { integer_value: 2 } });
    const model = await introspect({ projectId: client.projectId, emulatorHost: emulator.host });
    assert.deepEqual(modelLines(model), { numbers: ['d double', 'i integer'] });
  });

  it('bounds the sample per collection pattern, spread over the parents, and follows depth and the collections hint', async () => {
    const client = connectAdmin(emulator.host);
    admins.push(client);
    const batch = client.db.batch();
    for (let s = 0; s < 3; s++) {
      batch.set(client.db.doc(`shops/s${s}`), { n: s });
      for (let o = 0; o < 4; o++) batch.set(client.db.doc(`shops/s${s}/orders/o${o}`), { o, [`only${s}`]: true });
    }
    batch.set(client.db.doc('other/x'), { y: 'z' });
    await within(batch.commit(), STEP_MS, 'seeding shops');
    const opts = { projectId: client.projectId, emulatorHost: emulator.host };

    const sampled = await introspect({ ...opts, sampleSize: 5 });
    const orders = sampled.namespaces[0]!.entities.find((e) => e.name === 'shops/orders')!;
    assert.deepEqual(orders.stats?.sample, { size: 5, seen: 5 });
    assert.deepEqual(modelLines(sampled)['shops/orders'], ['o integer', 'only0? boolean', 'only1? boolean', 'only2? boolean'], 'every parent contributes to the sample');
    assert.equal(sampled.namespaces[0]!.entities.find((e) => e.name === 'shops')!.stats?.sample?.seen, 3);

    const flat = await introspect({ ...opts, depth: 0 });
    assert.deepEqual(flat.namespaces[0]!.entities.map((e) => e.name), ['other', 'shops']);
    const hinted = await introspect({ ...opts, collections: ['shops', 'ghosts'] });
    assert.deepEqual(hinted.namespaces[0]!.entities.map((e) => [e.name, e.stats?.sample?.seen]), [['ghosts', 0], ['shops', 3], ['shops/orders', 12]], 'only the named roots (one of them empty), their subcollections included');
  });

  it('answers health with a cheap read and its latency', async () => {
    const session = await open(base());
    try {
      const before = session.queryCount;
      const report = await session.ping();
      assert.equal(report.status, 'ok');
      assert.equal(report.profileId, 'fs-test');
      assert.ok(typeof report.latencyMs === 'number' && report.latencyMs >= 0);
      assert.equal(report.serverVersion, `Firestore emulator at ${emulator.host}`);
      assert.equal(session.queryCount - before, 1, 'one call');
    } finally {
      await session.close();
    }
  });

  it('reads an unknown project as empty, as the emulator does (Cloud Firestore refuses it: see below)', async () => {
    const model = await introspect({ projectId: 'no-such-project-here', emulatorHost: emulator.host });
    assert.deepEqual(model.namespaces.map((ns) => [ns.name, ns.entities.length]), [['(default)', 0]]);
  });

  it('skips the database when the caller filters it out', async () => {
    const session = await open(base());
    try {
      assert.deepEqual((await session.introspect({ exclude: ['(default)'] })).namespaces, []);
      assert.deepEqual((await session.introspect({ include: ['other-db'] })).namespaces, []);
    } finally {
      await session.close();
    }
  });

  it('stops at once when the signal fires', async () => {
    const session = await open(base());
    try {
      const controller = new AbortController();
      const pending = session.introspect({}, undefined, controller.signal);
      controller.abort();
      const err = await within(pending.then(() => assert.fail('finished'), (e: PlugboardError) => e), 2_000, 'the cancelled introspection');
      assert.equal(err.code, 'CANCELLED');
    } finally {
      await session.close();
    }
  });

  it('lets a profile\'s own emulator win over FIRESTORE_EMULATOR_HOST, and follows the variable when the profile names none', async () => {
    const saved = process.env.FIRESTORE_EMULATOR_HOST;
    process.env.FIRESTORE_EMULATOR_HOST = `127.0.0.1:${await freePort()}`;
    try {
      const session = await open({ ...base(), connectTimeoutMs: 1_000 });
      await session.close();
      const viaEnv = await failure({ projectId: messy.projectId, connectTimeoutMs: 1_000 });
      assert.equal(viaEnv.err.code, 'CONNECTION_REFUSED');
      process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
      const host = testHost();
      const fromEnv = await open({ projectId: messy.projectId }, {}, host);
      assert.equal((await fromEnv.ping()).serverVersion, `Firestore emulator at ${emulator.host}`);
      assert.ok(host.lines.some((l) => l.includes('(FIRESTORE_EMULATOR_HOST)')), host.lines.join('\n'));
      await fromEnv.close();
    } finally {
      if (saved === undefined) delete process.env.FIRESTORE_EMULATOR_HOST;
      else process.env.FIRESTORE_EMULATOR_HOST = saved;
    }
  });

  describe('when the server is not there', () => {
    it('a stopped emulator or a port nobody listens on: CONNECTION_REFUSED at once', async () => {
      const doomed = await startFirestoreEmulator();
      await doomed.stop();
      for (const host of [doomed.host, `127.0.0.1:${await freePort()}`]) {
        const { err, ms } = await failure({ projectId: 'down-project', emulatorHost: host, connectTimeoutMs: 5_000 });
        assert.equal(err.code, 'CONNECTION_REFUSED', err.message);
        assert.ok(ms < 1_000, `took ${ms} ms: a refused port needs no retries`);
        assert.match(err.hint, /emulator/);
      }
    });

    it('a host that accepts and never answers: CONNECTION_TIMEOUT within the connect deadline', async () => {
      const silent = await startBlackHole();
      try {
        const { err, ms } = await failure({ projectId: 'silent-project', emulatorHost: `127.0.0.1:${silent.port}`, connectTimeoutMs: 1_000 });
        assert.equal(err.code, 'CONNECTION_TIMEOUT', err.message);
        assert.ok(ms < 6_000, `took ${ms} ms`);
      } finally {
        await silent.close();
      }
    });

    it('an emulator that stops mid-session: each call fails with a code within its deadline, and close() returns', async () => {
      const doomed = await startFirestoreEmulator();
      const client = connectAdmin(doomed.host);
      admins.push(client);
      await client.db.doc('a/b').set({ c: 1 });
      const session = await open({ projectId: client.projectId, emulatorHost: doomed.host, connectTimeoutMs: 1_000, timeoutMs: 1_500 });
      await doomed.stop();
      const started = Date.now();
      const err = await session.introspect({}).then(() => assert.fail('introspected a stopped emulator'), (e: PlugboardError) => e);
      assert.ok(['CONNECTION_REFUSED', 'CONNECTION_TIMEOUT', 'CONNECTION_LOST'].includes(err.code), `${err.code}: ${err.message}`);
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
      const ping = await session.ping().then(() => assert.fail('pinged a stopped emulator'), (e: PlugboardError) => e);
      assert.ok(['CONNECTION_REFUSED', 'CONNECTION_TIMEOUT'].includes(ping.code), `${ping.code}: ${ping.message}`);
      await within(session.close(), 6_000, 'closing');
    });
  });

  describe('Cloud Firestore\'s refusals, through firebase-admin', () => {
    const answers: [number, string, string][] = [
      [7, 'Missing or insufficient permissions.', 'PERMISSION_DENIED'],
      [16, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'AUTHENTICATION_FAILED'],
      [5, 'The database (default) does not exist for project nope-project Please visit https://console.cloud.google.com/datastore/setup?project=nope-project to add a Cloud Datastore or Cloud Firestore database.', 'DATABASE_NOT_FOUND'],
      [7, 'Permission denied on resource project nope-project.', 'DATABASE_NOT_FOUND'],
      [8, 'Quota exceeded for quota metric \'Read requests\'.', 'QUOTA_EXCEEDED'],
    ];
    for (const [status, details, code] of answers) {
      it(`${details.slice(0, 48)}… (gRPC ${status}) → ${code}, at once`, async () => {
        const server = await startStatusServer({ code: status, details });
        try {
          const { err, ms } = await failure({ projectId: 'nope-project', emulatorHost: server.host, connectTimeoutMs: 5_000 });
          assert.equal(err.code, code, err.message);
          assert.ok(ms < 2_000, `took ${ms} ms: the answer is final, not retried`);
          assert.deepEqual([...server.calls], [['ListCollectionIds', 1]]);
        } finally {
          await server.stop();
        }
      });
    }
  });

  describe('the service-account key', () => {
    const account = makeServiceAccount('plugboard-key-test');

    it('is refused before connecting when malformed, naming the field and quoting nothing', async () => {
      const host = testHost();
      const { err } = await failure({ projectId: 'plugboard-key-test', auth: 'serviceAccount' }, { serviceAccount: withFields(account, { client_email: undefined }) }, host);
      assert.equal(err.code, 'INVALID_CONFIG');
      assert.match(err.message, /"client_email"/);
      assertNoPrivateKey(`${err.toDisplayString()}\n${host.lines.join('\n')}`, account.privateKey, 'the error or the log');
    });

    it('with no way to Google (or a key Google rejects): a coded error in bounded time, the key nowhere', async () => {
      const host = testHost();
      const saved = process.env.FIRESTORE_EMULATOR_HOST;
      // A profile that names its service account is not redirected by the variable.
      process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
      let result: Awaited<ReturnType<typeof failure>>;
      try {
        result = await failure({ projectId: 'plugboard-key-test', auth: 'serviceAccount', connectTimeoutMs: 2_000 }, { serviceAccount: account.json }, host);
      } finally {
        if (saved === undefined) delete process.env.FIRESTORE_EMULATOR_HOST;
        else process.env.FIRESTORE_EMULATOR_HOST = saved;
      }
      // Offline (as on the test machines) the name does not resolve; online, Google refuses this made-up key.
      assert.ok(['HOST_NOT_FOUND', 'AUTHENTICATION_FAILED', 'CONNECTION_TIMEOUT'].includes(result.err.code), `${result.err.code}: ${result.err.message}`);
      assert.ok(result.ms < 8_000, `took ${result.ms} ms`);
      assertNoPrivateKey(`${result.err.toDisplayString()}\n${JSON.stringify(result.err)}\n${host.lines.join('\n')}`, account.privateKey, 'the error or the log');
      assert.ok(host.lines.some((l) => l === 'firestore: connecting to project plugboard-key-test'), host.lines.join('\n'));
    });

    it('is accepted beside an emulator (which ignores credentials), and its project may differ from the profile\'s', async () => {
      const host = testHost();
      const session = await open({ ...base() }, { serviceAccount: account.json }, host);
      try {
        assert.equal((await session.ping()).status, 'ok');
      } finally {
        await session.close();
      }
      assertNoPrivateKey(host.lines.join('\n'), account.privateKey, 'the log');
    });
  });
});
