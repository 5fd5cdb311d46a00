/**
 * Bad input and bad days for the MongoDB backend: each failure a PlugboardError with the right code, one line,
 * a hint, the driver's error kept as `cause`, and never the canary password. Authentication and TLS use the
 * stand-in started with a user (the canary is its password) or a self-signed certificate.
 */
import * as assert from 'node:assert/strict';
import { isPlugboardError, type ErrorCode, type PlugboardError } from '../../src/core/errors';
import type { ConnectionProfile, Secret } from '../../src/core/model';
import { assertNoCanary, CANARY } from '../support/canary';
import { CATALOG, testHost } from '../support/host';
import { startMongoStandin, type MongoStandin } from '../support/mongo';
import { mongoProfile } from '../support/mongoBackend';
import { freePort, startBlackHole, type TestServer } from '../support/net';
import { selfSignedCert, type SelfSigned } from '../support/selfSigned';

const USER = 'plugboard';

function expectError(err: unknown, code: ErrorCode, pattern?: RegExp, fromDriver = true): PlugboardError {
  assert.ok(isPlugboardError(err), `expected a PlugboardError, got ${String(err)}`);
  assert.equal(err.code, code, `code of: ${err.message}`);
  assert.doesNotMatch(err.message, /[\r\n]/, 'one line');
  if (pattern) assert.match(err.message, pattern);
  if (code !== 'CANCELLED') assert.ok(err.hint.length > 10, 'has a hint');
  if (fromDriver) assert.ok(err.cause instanceof Error, 'the driver error is kept as the cause');
  assertNoCanary(`${err.message} ${err.hint} ${err.detail ?? ''} ${err.toDisplayString()}`, `the ${code} error`);
  return err;
}

/** Connects through the catalog's driver with a host whose log is checked too; resolves to the failure. */
async function connectFailure(profile: ConnectionProfile, secret: Secret = {}, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<{ err: unknown; ms: number }> {
  const host = testHost({ timeoutMs: opts.timeoutMs ?? 15_000, signal: opts.signal });
  const started = performance.now();
  try {
    const session = await (await CATALOG.driver('mongodb')).connect(profile, secret, host);
    await session.close();
  } catch (err) {
    assertNoCanary(host.lines.join('\n'), 'the host log');
    return { err, ms: performance.now() - started };
  }
  throw new Error('connecting was expected to fail but succeeded');
}

async function rejection(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => assert.fail('expected a failure, but it succeeded'),
    (err: unknown) => err,
  );
}

describe('MongoDB backend: connection failures', function () {
  this.timeout(60_000);
  let auth: MongoStandin;
  let hostPort: string;

  before(async () => {
    auth = await startMongoStandin({ user: USER, password: CANARY });
    hostPort = `127.0.0.1:${auth.port}`;
  });
  after(() => auth?.stop());

  const authProfile = (extra: Record<string, unknown> = {}) => mongoProfile(`mongodb://${USER}@${hostPort}/shop?authSource=admin`, extra).profile;

  it('the right password connects, answers a health check and introspects', async () => {
    const session = await (await CATALOG.driver('mongodb')).connect(authProfile(), { password: CANARY }, testHost());
    try {
      const report = await session.ping();
      assert.equal(report.status, 'ok');
      assert.match(report.serverVersion ?? '', /^MongoDB \d+\.\d+\.\d+$/);
      assert.ok(typeof report.latencyMs === 'number' && report.latencyMs >= 0);
      assert.deepEqual((await session.introspect({})).namespaces, [], 'shop does not exist yet');
    } finally {
      await session.close();
    }
  });

  it('a wrong password → AUTHENTICATION_FAILED (code 18)', async () => {
    const { err } = await connectFailure(authProfile(), { password: `${CANARY}-wrong` });
    expectError(err, 'AUTHENTICATION_FAILED', /Authentication failed/);
  });

  it('a user without a password → AUTHENTICATION_FAILED before any round trip', async () => {
    expectError((await connectFailure(authProfile())).err, 'AUTHENTICATION_FAILED', /no password/, false);
  });

  it('no user against a server that wants one: connected, but introspection → AUTHENTICATION_FAILED', async () => {
    const { profile } = mongoProfile(`mongodb://${hostPort}/`);
    const session = await (await CATALOG.driver('mongodb')).connect(profile, {}, testHost());
    try {
      expectError(await rejection(session.introspect({})), 'AUTHENTICATION_FAILED', /requires authentication/);
    } finally {
      await session.close();
    }
  });

  it('a refused port → CONNECTION_REFUSED, at once rather than after server selection', async () => {
    const { profile } = mongoProfile(`mongodb://${USER}@127.0.0.1:${await freePort()}/`);
    const { err, ms } = await connectFailure(profile, { password: CANARY });
    expectError(err, 'CONNECTION_REFUSED', /ECONNREFUSED/);
    assert.ok(ms < 5_000, `took ${Math.round(ms)} ms with a 15 s selection timeout`);
  });

  it('a server that never answers → CONNECTION_TIMEOUT within the selection deadline', async () => {
    let hole: TestServer | undefined;
    try {
      hole = await startBlackHole();
      const { profile } = mongoProfile(`mongodb://127.0.0.1:${hole.port}/?serverSelectionTimeoutMS=1000&connectTimeoutMS=1000`);
      const { err, ms } = await connectFailure(profile);
      expectError(err, 'CONNECTION_TIMEOUT');
      assert.ok(ms < 6_000, `took ${Math.round(ms)} ms`);
    } finally {
      await hole?.close();
    }
  });

  it('cancelling a connect → CANCELLED at once', async () => {
    let hole: TestServer | undefined;
    try {
      hole = await startBlackHole();
      const controller = new AbortController();
      const { profile } = mongoProfile(`mongodb://127.0.0.1:${hole.port}/`);
      setTimeout(() => controller.abort(), 200);
      const { err, ms } = await connectFailure(profile, {}, { signal: controller.signal });
      expectError(err, 'CANCELLED', undefined, false);
      assert.ok(ms < 3_000, `took ${Math.round(ms)} ms`);
    } finally {
      await hole?.close();
    }
  });

  it('an unknown host → HOST_NOT_FOUND', async () => {
    const { profile } = mongoProfile('mongodb://no-such-host.plugboard-test.invalid:27017/?serverSelectionTimeoutMS=5000');
    expectError((await connectFailure(profile)).err, 'HOST_NOT_FOUND', /ENOTFOUND/);
  });

  it('an SRV name that does not resolve → HOST_NOT_FOUND', async () => {
    const { profile, secret } = mongoProfile(`mongodb+srv://${USER}:${encodeURIComponent(CANARY)}@cluster0.plugboard-test.invalid/shop`);
    expectError((await connectFailure(profile, secret)).err, 'HOST_NOT_FOUND', /querySrv|_mongodb\._tcp/);
  });

  it('a malformed connection string → INVALID_CONFIG naming the problem, never the password', () => {
    for (const [url, pattern] of [
      [`mongodb://${USER}:${CANARY}@${hostPort}/`, /unescaped/],
      [`mongodb://${USER}:${encodeURIComponent(CANARY)}@${hostPort}:1/`, /malformed|port/i],
      [`mongodb+srv://${USER}:${encodeURIComponent(CANARY)}@cluster0.example.net:27017/`, /port/],
    ] as const) {
      let caught: unknown;
      try {
        CATALOG.forUrl(url).parse(url);
      } catch (err) {
        caught = err;
      }
      expectError(caught, 'INVALID_CONFIG', pattern, false);
    }
  });

  it('a connection option the driver refuses → INVALID_CONFIG', async () => {
    const { profile } = mongoProfile(`mongodb://${hostPort}/?readPreference=sometimes`);
    expectError((await connectFailure(profile)).err, 'INVALID_CONFIG', /readPreference|sometimes/);
  });

  it('a server that stops mid-session: the next step fails with a classified error within its deadline', async () => {
    const lonely = await startMongoStandin();
    const { profile } = mongoProfile(lonely.url);
    const session = await (await CATALOG.driver('mongodb')).connect(profile, {}, testHost({ timeoutMs: 2_000 }));
    try {
      await lonely.stop();
      const started = performance.now();
      const err = await rejection(session.ping());
      assert.ok(isPlugboardError(err), String(err));
      assert.ok(['CONNECTION_REFUSED', 'CONNECTION_LOST', 'CONNECTION_TIMEOUT'].includes(err.code), err.code);
      expectError(err, err.code);
      assert.ok(performance.now() - started < 8_000, 'bounded by the step deadline');
    } finally {
      await session.close();
    }
  });

  describe('TLS (a stand-in that requires it, with a self-signed certificate)', () => {
    let cert: SelfSigned;
    let tls: MongoStandin;

    before(async () => {
      cert = await selfSignedCert();
      tls = await startMongoStandin({ tls: { key: cert.key, cert: cert.cert }, user: USER, password: CANARY });
    });
    after(async () => {
      await tls?.stop();
      await cert?.remove();
    });
    const tlsProfile = (extra: Record<string, unknown> = {}) => mongoProfile(`mongodb://${USER}@127.0.0.1:${tls.port}/?tls=true&authSource=admin`, extra).profile;

    it('an untrusted certificate → TLS_ERROR, at once', async () => {
      const { err, ms } = await connectFailure(tlsProfile(), { password: CANARY });
      expectError(err, 'TLS_ERROR', /certificate/i);
      assert.ok(ms < 5_000, `took ${Math.round(ms)} ms`);
    });

    it('the certificate as tlsCAFile, or tlsAllowInvalidCertificates, connects', async () => {
      for (const extra of [{ tlsCAFile: cert.certFile }, { tlsAllowInvalidCertificates: true }]) {
        const session = await (await CATALOG.driver('mongodb')).connect(tlsProfile(extra), { password: CANARY }, testHost());
        try {
          assert.equal((await session.ping()).status, 'ok');
        } finally {
          await session.close();
        }
      }
    });

    it('plain text to a server that requires TLS → CONNECTION_TIMEOUT whose hint mentions tls', async () => {
      const { err } = await connectFailure(tlsProfile({ tls: false, serverSelectionTimeoutMS: 1000 }), { password: CANARY });
      const e = expectError(err, 'CONNECTION_TIMEOUT');
      assert.match(e.hint, /tls/);
    });
  });
});
