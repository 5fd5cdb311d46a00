/**
 * SchemaWatcher on the local PostgreSQL: it regenerates only when the schema or the inputs change, says what
 * changed, hears DDL at once through the optional event trigger (and listens again after losing the
 * connection), backs off on failures, never hangs on a stalled server, and stops cleanly.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Session } from '../../src/core/backend';
import { generate } from '../../src/core/codegen/generate';
import { SchemaWatcher, type WatchEvent, type WatchRound } from '../../src/core/codegen/watcher';
import { closeSession } from '../../src/core/sessions';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import { DDL_TRIGGER_SQL } from '../support/ddlTrigger';
import { codegenFor, withOptions } from '../support/host';
import { freePort, startFaultProxy, type FaultProxy } from '../support/net';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { connect } from '../support/sessions';
import { makeWorkDir } from '../support/workdir';


/** Collects a watcher's events; `next` waits (with a deadline) for one that matches. */
class Events {
  readonly all: WatchEvent[] = [];
  private waiters: { match: (e: WatchEvent) => boolean; resolve: (e: WatchEvent) => void }[] = [];
  push = (e: WatchEvent) => {
    this.all.push(e);
    this.waiters = this.waiters.filter((w) => (w.match(e) ? (w.resolve(e), false) : true));
  };
  next<K extends WatchEvent['kind']>(kind: K, ms: number, match: (e: Extract<WatchEvent, { kind: K }>) => boolean = () => true): Promise<Extract<WatchEvent, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${kind} event within ${ms} ms; saw ${this.all.map((e) => e.kind).join(', ')}`)), ms);
      this.waiters.push({
        match: (e) => e.kind === kind && match(e as Extract<WatchEvent, { kind: K }>),
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as Extract<WatchEvent, { kind: K }>);
        },
      });
    });
  }
  count(kind: WatchEvent['kind']): number {
    return this.all.filter((e) => e.kind === kind).length;
  }
}

describe('watch mode: SchemaWatcher on PostgreSQL', function () {
  this.timeout(60_000);
  let scratch: ScratchDatabase | undefined;
  let session: Session | undefined;
  let work: Awaited<ReturnType<typeof makeWorkDir>> | undefined;
  const watchers: SchemaWatcher[] = [];

  before(async () => {
    await requirePostgres();
    scratch = await createScratchDatabase('watch');
    await scratch.exec('CREATE SCHEMA w; CREATE TABLE w.items (id int PRIMARY KEY, name text NOT NULL);');
    await scratch.exec(DDL_TRIGGER_SQL);
    session = await connect(scratch.profile, scratch.secret);
    work = await makeWorkDir('watch');
  });
  afterEach(async () => {
    await Promise.all(watchers.splice(0).map((w) => w.stop()));
  });
  after(async () => {
    await session?.close();
    await Promise.allSettled([scratch?.drop(), work?.remove()]);
  });

  /** A watcher that writes ts-types into `out` on each regeneration, starting from what is there now. */
  async function watcher(out: string, extra: Partial<ConstructorParameters<typeof SchemaWatcher>[0]> = {}) {
    const events = new Events();
    const rounds: WatchRound[] = [];
    const model = await session!.introspect({ include: ['w'] });
    const first = await generate(model, codegenFor('postgres', { profileName: 'w', targets: ['ts-types'] }));
    await writeGeneratedFiles(out, first.files);
    const w = new SchemaWatcher({
      intervalMs: 200,
      timeoutMs: 5_000,
      baseline: { fingerprint: first.fingerprint, model },
      introspect: (signal) => session!.introspect({ include: ['w'] }, undefined, signal),
      regenerate: async (round, signal) => {
        rounds.push(round);
        const result = await generate(round.model, codegenFor('postgres', { profileName: 'w', targets: ['ts-types'] }));
        await writeGeneratedFiles(out, result.files, signal);
      },
      onEvent: events.push,
      ...extra,
    });
    watchers.push(w);
    void w.start();
    return { w, events, rounds };
  }

  it('regenerates only on change, and says what changed', async () => {
    const out = path.join(work!.dir, 'interval');
    const { events, rounds } = await watcher(out);
    await events.next('unchanged', 5_000);
    await events.next('unchanged', 5_000);
    assert.equal(rounds.length, 0, 'an unchanged schema is not regenerated');
    const regenerated = events.next('regenerated', 5_000);
    await scratch!.exec('ALTER TABLE w.items ADD COLUMN note text');
    const done = await regenerated;
    assert.deepEqual(done.round.changes.map((c) => `${c.kind} ${c.subject}`), ['added column w.items.note']);
    assert.equal(done.round.schemaChanged, true);
    assert.match(await fs.readFile(path.join(out, 'w.types.ts'), 'utf8'), /note: string \| null;/);
    await events.next('unchanged', 5_000);
    assert.equal(rounds.length, 1);
  });

  it('regenerates when only the inputs change', async () => {
    let inputs: string | undefined = undefined;
    const { events } = await watcher(path.join(work!.dir, 'inputs'), { inputs: async () => inputs });
    await events.next('unchanged', 5_000);
    const regenerated = events.next('regenerated', 5_000);
    inputs = 'sha256:changed';
    const done = await regenerated;
    assert.deepEqual([done.round.schemaChanged, done.round.inputsChanged, done.round.changes], [false, true, []]);
  });

  it('hears DDL through the event trigger at once, and listens again after losing the connection', async () => {
    const { events } = await watcher(path.join(work!.dir, 'ddl'), { intervalMs: 60_000, subscribe: (l, s) => session!.watchSchema!(l, s) });
    await events.next('listening', 10_000);
    const started = Date.now();
    const noticed = events.next('notified', 5_000);
    const regenerated = events.next('regenerated', 5_000);
    await scratch!.exec('CREATE TABLE w.more (id int)');
    assert.equal((await noticed).detail, 'CREATE TABLE');
    const done = await regenerated;
    assert.ok(Date.now() - started < 5_000, 'well before the 60 s interval');
    assert.deepEqual(done.round.changes.map((c) => c.subject), ['table w.more']);
    assert.equal(done.round.reason, 'notification');

    const lost = events.next('not-listening', 5_000);
    await scratch!.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'plugboard-watch' AND datname = current_database()");
    await lost;
    await scratch!.exec('DROP TABLE w.more');
    // The dropped table is noticed at the next interval; poke stands in for it, then the feed comes back.
    const w = watchers.at(-1)!;
    const again = events.next('regenerated', 5_000);
    const relistening = events.next('listening', 10_000);
    w.poke();
    await again;
    await relistening;
  });

  it('backs off while the server is down, and stops at once while waiting', async () => {
    const dead = withOptions(scratch!.profile, { port: await freePort(), host: '127.0.0.1' });
    const events = new Events();
    const w = new SchemaWatcher({
      intervalMs: 100,
      timeoutMs: 2_000,
      maxBackoffMs: 700,
      random: () => 1,
      introspect: async (signal) => {
        const s = await connect(dead, {}, signal);
        return s.introspect({});
      },
      regenerate: async () => assert.fail('nothing to regenerate'),
      onEvent: events.push,
    });
    watchers.push(w);
    void w.start();
    const delays: number[] = [];
    for (let i = 1; i <= 4; i++) delays.push((await events.next('failed', 5_000, (e) => e.failures === i)).retryInMs);
    assert.deepEqual(delays, [200, 300, 500, 700], 'interval plus a doubling backoff, capped');
    const first = events.all.find((e): e is Extract<WatchEvent, { kind: 'failed' }> => e.kind === 'failed')!;
    assert.equal(first.error.code, 'CONNECTION_REFUSED');
    const started = Date.now();
    await w.stop();
    assert.ok(Date.now() - started < 500, 'stop() does not wait out the backoff');
  });

  it('never hangs on a stalled server: the round times out, and stop() aborts one in flight', async () => {
    const o = scratch!.profile.options as { host: string; port: number };
    let proxy: FaultProxy | undefined;
    let stalled: Session | undefined;
    try {
      proxy = await startFaultProxy(o.host, o.port);
      stalled = await connect(withOptions(scratch!.profile, { host: '127.0.0.1', port: proxy.port }), scratch!.secret);
      const events = new Events();
      const w = new SchemaWatcher({
        intervalMs: 100,
        timeoutMs: 600,
        random: () => 0,
        introspect: (signal) => stalled!.introspect({ include: ['w'] }, undefined, signal),
        regenerate: async () => undefined,
        onEvent: events.push,
      });
      watchers.push(w);
      proxy.armOnNextRequest(() => new Promise<void>(() => undefined));
      const failing = events.next('failed', 5_000);
      const recovered = events.next('regenerated', 10_000);
      void w.start();
      const failed = await failing;
      assert.equal(failed.error.code, 'CONNECTION_TIMEOUT');
      assert.match(failed.error.message, /Introspection did not finish within 600 ms/);
      await recovered;

      proxy.armOnNextRequest(() => new Promise<void>(() => undefined));
      w.poke();
      await new Promise((r) => setTimeout(r, 150));
      const started = Date.now();
      await w.stop();
      assert.ok(Date.now() - started < 1_000, 'stop() aborts the stalled round');
    } finally {
      await proxy?.close();
      if (stalled) await closeSession(stalled);
    }
  });
});
