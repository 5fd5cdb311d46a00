/**
 * Issue 13, item 6: a server that accepts the connection and then stalls must never hang the driver, the
 * session's shutdown or the CLI. Every network step has a deadline (connect, each query, close), `--timeout`
 * sets it, and `plugboard check` exits with a coded error in time.
 */
import * as assert from 'node:assert/strict';
import type { Session } from '../../src/core/backend';
import { isPlugboardError } from '../../src/core/errors';
import type { ConnectionProfile } from '../../src/core/model';
import { ensureCliBuilt, runCli } from '../support/cli';
import { CATALOG, testHost } from '../support/host';
import { startStallingPostgres, type StallingPostgres, type StallPoint } from '../support/stallingPostgres';
import { makeWorkDir } from '../support/workdir';

const TIMEOUT_MS = 1_500;

/** Settles `work` or fails the test after `ms`: a hang shows up as a failure, not as mocha's timeout. */
async function within<T>(work: Promise<T>, ms: number, what: string): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still had not finished after ${ms} ms`)), ms);
  });
  try {
    const value = await Promise.race([work, hung]);
    return { value, ms: Date.now() - started };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(`${what} still`)) throw error;
    return { error, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

function profile(port: number): ConnectionProfile {
  return { id: 'stall', name: 'stall', kind: 'postgres', options: { host: '127.0.0.1', port, database: 'stall', user: 'postgres', sslmode: 'prefer' } };
}

async function connect(port: number): Promise<Session> {
  const driver = await CATALOG.driver('postgres');
  return driver.connect(profile(port), {}, testHost({ timeoutMs: TIMEOUT_MS }));
}

function assertTimeout(error: unknown, what: string): void {
  assert.ok(isPlugboardError(error), `${what}: expected a PlugboardError, got ${String(error)}`);
  assert.equal(error.code, 'CONNECTION_TIMEOUT', `${what}: ${error.code} ${error.message}`);
}

async function eventually(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) assert.fail(what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a server that stalls after accepting the connection (issue 13, item 6)', function () {
  this.timeout(120_000);
  const servers: StallingPostgres[] = [];
  const start = async (stall: StallPoint) => {
    const s = await startStallingPostgres(stall);
    servers.push(s);
    return s;
  };
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  for (const stall of ['before-startup', 'after-startup'] as const) {
    it(`${stall}: connecting fails with CONNECTION_TIMEOUT within the host's timeout`, async () => {
      const server = await start(stall);
      const r = await within(connect(server.port), 20_000, 'connect');
      assertTimeout(r.error, `connect (${stall})`);
      assert.ok(r.ms < TIMEOUT_MS + 2_000, `took ${r.ms} ms`);
      await eventually(() => server.open() === 0, 5_000, `${stall}: the driver left ${server.open()} socket(s) open`);
    });
  }

  it('after-first-query: a stalled query fails with CONNECTION_TIMEOUT, and closing drops its socket', async () => {
    const server = await start('after-first-query');
    const session = await connect(server.port);
    const r = await within(session.introspect({}), 20_000, 'introspect');
    assertTimeout(r.error, 'introspect');
    assert.ok(r.ms < TIMEOUT_MS + 2_000, `took ${r.ms} ms`);
    const closed = await within(session.close(), 10_000, 'close');
    assert.ok(closed.ms < 4_000, `close took ${closed.ms} ms`);
    await eventually(() => server.open() === 0, 5_000, `the session left ${server.open()} socket(s) open`);
  });

  it('after-first-query: closing while queries are stalled does not wait for them', async () => {
    const server = await start('after-first-query');
    const session = await connect(server.port);
    const pending = session.introspect({}).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    const closed = await within(session.close(), 10_000, 'close during a stalled query');
    assert.ok(closed.ms < 4_000, `close took ${closed.ms} ms`);
    assert.ok(isPlugboardError(await pending), 'the stalled introspection ends with a coded error');
    await eventually(() => server.open() === 0, 5_000, `the session left ${server.open()} socket(s) open`);
  });

  describe('plugboard check (dist/cli.js)', () => {
    let work: Awaited<ReturnType<typeof makeWorkDir>>;
    before(async () => {
      await ensureCliBuilt();
      work = await makeWorkDir('stall');
    });
    after(async () => {
      await work?.remove();
    });

    for (const stall of ['before-startup', 'after-startup', 'after-first-query'] as const) {
      it(`${stall}: exits 3 with CONNECTION_TIMEOUT within --timeout (plus start-up)`, async () => {
        const server = await start(stall);
        const started = Date.now();
        const r = await runCli(['check', '--url', `postgres://postgres@127.0.0.1:${server.port}/stall`, '--out', work.dir, '--timeout', String(TIMEOUT_MS)], { timeoutMs: 30_000 });
        const ms = Date.now() - started;
        assert.equal(r.code, 3, `exit ${r.code} after ${ms} ms\n${r.stdout}${r.stderr}`);
        assert.match(r.stderr, /^plugboard: CONNECTION_TIMEOUT: /m);
        assert.ok(ms < TIMEOUT_MS + 5_000, `the CLI took ${ms} ms`);
      });
    }
  });
});
