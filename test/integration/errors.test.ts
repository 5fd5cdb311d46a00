/**
 * Bad input and bad days, against real servers: each failure must come back as a PlugboardError with the
 * right code, a one-line message that keeps the server's own words (and the original error as `cause`), and
 * no secret in it. A throwaway SCRAM + TLS cluster makes wrong passwords and certificate checks testable.
 */
import * as assert from 'node:assert/strict';
import { escapeIdentifier } from 'pg';
import type { PgSession } from '../../src/backends/postgres/driver';
import { withOptions } from '../support/host';
import { isPlugboardError, type ErrorCode, type PlugboardError } from '../../src/core/errors';
import type { ConnectionProfile } from '../../src/core/model';
import { assertNoCanary, CANARY } from '../support/canary';
import { startBlackHole, startFaultProxy, freePort, type FaultProxy, type TestServer } from '../support/net';
import { startPglite, type PgliteServer } from '../support/pglite';
import { adminQuery, createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { startScramCluster, type ScramCluster } from '../support/scramCluster';
import { connect, connectError, HOSTILE_SQL } from '../support/sessions';
import { startTogether } from '../support/settle';

/**
 * Asserts a PlugboardError with `code`, a one-line message matching `pattern` (the server's own words), a
 * hint, the driver's error kept as `cause` (nothing lost for the log), and no secret anywhere in it.
 */
function expectError(err: unknown, code: ErrorCode, pattern?: RegExp, fromDriver = code !== 'CANCELLED'): PlugboardError {
  assert.ok(isPlugboardError(err), `expected a PlugboardError, got ${String(err)}`);
  assert.equal(err.code, code, `code of: ${err.message}`);
  assert.doesNotMatch(err.message, /[\r\n]/, 'one line');
  if (pattern) assert.match(err.message, pattern);
  if (code !== 'CANCELLED') assert.ok(err.hint.length > 10, 'has a hint');
  if (fromDriver) assert.ok(err.cause instanceof Error, 'the driver error is kept as the cause');
  assertNoCanary(`${err.message} ${err.hint} ${err.detail ?? ''} ${err.toDisplayString()}`, `the ${code} error`);
  return err;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure, but it succeeded');
}

describe('connection and query failures', function () {
  this.timeout(60_000);
  let scratch: ScratchDatabase | undefined;
  let cluster: ScramCluster | undefined;
  let pglite: PgliteServer | undefined;
  const quotaRole = `plugboard_test_quota_${Math.random().toString(36).slice(2, 10)}`;

  before(async () => {
    await requirePostgres();
    await startTogether([createScratchDatabase('errors'), startScramCluster(CANARY), startPglite(HOSTILE_SQL, 'pglite-errors')] as const, (s) => {
      [scratch, cluster, pglite] = s;
    });
    await adminQuery(`CREATE ROLE ${escapeIdentifier(quotaRole)} LOGIN CONNECTION LIMIT 0`);
  });
  /** One number from the SCRAM cluster, over TLS with the canary password. */
  async function clusterCount(sql: string): Promise<number> {
    const { Client } = await import('pg');
    const client = new Client({ host: cluster!.host, port: cluster!.port, user: 'postgres', database: 'postgres', password: CANARY, ssl: { rejectUnauthorized: false } });
    await client.connect();
    try {
      return (await client.query<{ n: number }>(sql)).rows[0]!.n;
    } finally {
      await client.end();
    }
  }

  after(async () => {
    await Promise.allSettled([scratch?.drop(), cluster?.stop(), pglite?.stop()]);
    await adminQuery(`DROP ROLE IF EXISTS ${escapeIdentifier(quotaRole)}`).catch(() => undefined);
  });

  describe('authentication and TLS (SCRAM cluster with a self-signed certificate)', () => {
    it('the right password connects over TLS (sslmode=require) and introspects', async () => {
      const session = await connect(cluster!.profile, { password: CANARY });
      try {
        const report = await session.ping();
        assert.equal(report.status, 'ok');
        assert.match(report.serverVersion ?? '', /^PostgreSQL \d+/);
        const model = await session.introspect({});
        assert.deepEqual(model.namespaces, [], 'a fresh cluster has no user schema objects');
      } finally {
        await session.close();
      }
    });

    it('a wrong password → AUTHENTICATION_FAILED', async () => {
      const err = expectError(await connectError(cluster!.profile, { password: `${CANARY}-wrong` }), 'AUTHENTICATION_FAILED', /password authentication failed/);
      assert.ok(err.cause, 'the driver error is kept as the cause');
      assert.ok(!err.message.includes('-wrong'));
    });

    it('no password at all → AUTHENTICATION_FAILED', async () => {
      expectError(await connectError(cluster!.profile, {}), 'AUTHENTICATION_FAILED');
    });

    it('sslmode=verify-full against a self-signed certificate → TLS_ERROR', async () => {
      expectError(await connectError(withOptions(cluster!.profile, { sslmode: 'verify-full' }), { password: CANARY }), 'TLS_ERROR', /certificate/i);
    });

    it('sslmode=verify-ca without a trusted CA → TLS_ERROR', async () => {
      expectError(await connectError(withOptions(cluster!.profile, { sslmode: 'verify-ca' }), { password: CANARY }), 'TLS_ERROR', /certificate/i);
    });

    it('aborting a query on a TLS connection → CANCELLED, and the server really stops it', async () => {
      const session = (await connect(cluster!.profile, { password: CANARY })) as PgSession;
      const running = () => clusterCount("SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%plugboard-tls-sleeper%' AND pid <> pg_backend_pid()");
      try {
        const controller = new AbortController();
        const query = session.query("SELECT pg_sleep(30), 'plugboard-tls-sleeper'", [], controller.signal);
        await waitFor(async () => (await running()) === 1, 'the query to start');
        controller.abort();
        expectError(await rejection(query), 'CANCELLED');
        await waitFor(async () => (await running()) === 0, 'the server to cancel the query');
      } finally {
        await session.close();
      }
    });
  });

  describe('TLS refused', () => {
    it('sslmode=require against PGlite (no TLS) → TLS_ERROR', async () => {
      expectError(await connectError(withOptions(pglite!.profile, { sslmode: 'require' })), 'TLS_ERROR', /does not support SSL/);
    });

    it('sslmode=prefer against PGlite falls back to a plain connection', async () => {
      const session = await connect(withOptions(pglite!.profile, { sslmode: 'prefer' }));
      await session.close();
    });

    it('sslmode=verify-full against the local server → TLS_ERROR', async function () {
      const [{ ssl }] = await adminQuery<{ ssl: string }>('SHOW ssl');
      const err = expectError(await connectError(withOptions(scratch!.profile, { sslmode: 'verify-full' }), scratch!.secret), 'TLS_ERROR');
      // With SSL off the server refuses TLS; with it on, a self-signed certificate fails verification.
      assert.match(err.message, ssl === 'on' ? /certificate|self[- ]signed|altnames/i : /does not support SSL/);
    });
  });

  describe('where the server is not', () => {
    let blackHole: TestServer | undefined;
    after(async () => {
      await blackHole?.close();
    });

    it('a port nobody listens on → CONNECTION_REFUSED', async () => {
      const port = await freePort();
      expectError(await connectError(withOptions(scratch!.profile, { port }), scratch!.secret), 'CONNECTION_REFUSED', new RegExp(`127\\.0\\.0\\.1:${port}`));
    });

    it('a database that does not exist → DATABASE_NOT_FOUND', async () => {
      expectError(await connectError(withOptions(scratch!.profile, { database: 'plugboard_no_such_db' }), scratch!.secret), 'DATABASE_NOT_FOUND', /plugboard_no_such_db/);
    });

    it('a server that accepts and never answers → CONNECTION_TIMEOUT after connectTimeoutMs', async () => {
      blackHole = await startBlackHole();
      const started = performance.now();
      const err = await connectError(withOptions(scratch!.profile, { port: blackHole.port, connectTimeoutMs: 400 }), scratch!.secret);
      expectError(err, 'CONNECTION_TIMEOUT', /timeout/i);
      assert.ok(performance.now() - started < 5_000, 'gave up near the configured timeout');
    });

    it('cancelling while connecting to a silent server → CANCELLED at once', async () => {
      blackHole ??= await startBlackHole();
      const controller = new AbortController();
      const started = performance.now();
      setTimeout(() => controller.abort(), 200);
      const err = await connectError(withOptions(scratch!.profile, { port: blackHole.port, connectTimeoutMs: 30_000 }), scratch!.secret, controller.signal);
      expectError(err, 'CANCELLED');
      assert.ok(performance.now() - started < 2_000, 'did not wait for the connect timeout');
    });

    it('too many connections for the role → QUOTA_EXCEEDED (transient)', async () => {
      const err = expectError(await connectError(withOptions(scratch!.profile, { user: quotaRole }), scratch!.secret), 'QUOTA_EXCEEDED', /too many connections/);
      assert.equal(err.transient, true);
    });
  });

  describe('during work', () => {
    let proxy: FaultProxy | undefined;
    afterEach(async () => {
      await proxy?.close();
      proxy = undefined;
    });

    it('a query on a missing table → SCHEMA_ERROR, and the session still works', async () => {
      const session = (await connect(scratch!.profile, scratch!.secret)) as PgSession;
      try {
        expectError(await rejection(session.query('SELECT * FROM no_such_table')), 'SCHEMA_ERROR', /no_such_table/);
        assert.equal((await session.ping()).status, 'ok');
      } finally {
        await session.close();
      }
    });

    it('the backend is terminated mid-introspection → CONNECTION_LOST', async () => {
      proxy = await startFaultProxy(String(scratch!.profile.options.host), Number(scratch!.profile.options.port));
      const profile: ConnectionProfile = withOptions(scratch!.profile, { port: proxy.port });
      const session = await connect(profile, scratch!.secret);
      try {
        proxy.armOnNextRequest(async () => {
          await adminQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'plugboard'", [scratch!.name]);
          await new Promise((r) => setTimeout(r, 100)); // let the FATAL reach the client first
        });
        expectError(await rejection(session.introspect({})), 'CONNECTION_LOST', /terminat/i);
      } finally {
        await session.close();
      }
    });

    it('the PGlite server is killed mid-introspection → CONNECTION_LOST', async () => {
      const doomed = await startPglite(HOSTILE_SQL, 'pglite-doomed');
      try {
        proxy = await startFaultProxy(doomed.host, doomed.port);
        const session = await connect(withOptions(doomed.profile, { port: proxy.port }));
        try {
          proxy.armOnNextRequest(async () => {
            await doomed.stop();
            proxy!.cutAll();
          });
          expectError(await rejection(session.introspect({})), 'CONNECTION_LOST', /terminated|closed|reset/i);
        } finally {
          await session.close();
        }
      } finally {
        await doomed.stop();
      }
    });

    it('aborting a running query → CANCELLED, and the server really stops it (no driver warnings)', async () => {
      const session = (await connect(scratch!.profile, scratch!.secret)) as PgSession;
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
      process.on('warning', onWarning);
      try {
        const controller = new AbortController();
        const started = performance.now();
        const running = session.query("SELECT pg_sleep(30), 'plugboard-sleeper'", [], controller.signal);
        await waitFor(async () => (await activeQueries(scratch!.name, 'plugboard-sleeper')) === 1, 'the query to start');
        controller.abort();
        expectError(await rejection(running), 'CANCELLED');
        assert.ok(performance.now() - started < 5_000, 'returned long before pg_sleep(30) would have');
        await waitFor(async () => (await activeQueries(scratch!.name, 'plugboard-sleeper')) === 0, 'the server to cancel the query');
        assert.equal((await session.ping()).status, 'ok', 'the session is still usable');
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(warnings, [], 'cancelling prints nothing on stderr (pg deprecations included)');
      } finally {
        process.off('warning', onWarning);
        await session.close();
      }
    });

    it('aborting introspection blocked on a catalog lock → CANCELLED, and the server stops waiting', async () => {
      const session = await connect(scratch!.profile, scratch!.secret);
      const { Client } = await import('pg');
      const o = scratch!.profile.options as { host: string; port: number; user: string };
      const locker = new Client({ host: o.host, port: o.port, user: o.user, database: scratch!.name, password: scratch!.secret.password });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        // Catalogs the introspection queries read but a new connection's startup does not.
        await locker.query('LOCK TABLE pg_catalog.pg_attrdef, pg_catalog.pg_constraint, pg_catalog.pg_index, pg_catalog.pg_enum IN ACCESS EXCLUSIVE MODE');
        const controller = new AbortController();
        const running = session.introspect({}, undefined, controller.signal);
        await waitFor(async () => (await lockWaiters(scratch!.name)) > 0, 'introspection to wait on the lock');
        controller.abort();
        expectError(await rejection(running), 'CANCELLED');
        await waitFor(async () => (await lockWaiters(scratch!.name)) === 0, 'the server to cancel the waiting queries');
      } finally {
        await locker.query('ROLLBACK').catch(() => undefined);
        await locker.end();
        await session.close();
      }
    });

    it('an already-aborted signal → CANCELLED before anything is sent', async () => {
      const session = await connect(scratch!.profile, scratch!.secret);
      try {
        const before = session.queryCount;
        expectError(await rejection(session.introspect({}, undefined, AbortSignal.abort())), 'CANCELLED');
        assert.equal(session.queryCount, before);
      } finally {
        await session.close();
      }
    });

    it('a closed session refuses work with CONNECTION_LOST', async () => {
      const session = await connect(scratch!.profile, scratch!.secret);
      await session.close();
      expectError(await rejection(session.introspect({})), 'CONNECTION_LOST', /closed/, false);
    });
  });
});

async function activeQueries(database: string, marker: string): Promise<number> {
  const rows = await adminQuery<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE '%' || $2 || '%' AND pid <> pg_backend_pid()",
    [database, marker],
  );
  return rows[0]!.n;
}

async function lockWaiters(database: string): Promise<number> {
  const rows = await adminQuery<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'plugboard' AND wait_event_type = 'Lock'",
    [database],
  );
  return rows[0]!.n;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
