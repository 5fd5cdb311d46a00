/**
 * Preview Data's service (src/vscode/webview/previewService.ts) on a real PostgreSQL: pages through the
 * shared session, the query cache (hits, Reload, forgetting a profile, entry and age limits), cancel and the
 * deadline that stops a stalled query on the server, and backends without the capability.
 */
import * as assert from 'node:assert/strict';
import { isPlugboardError } from '../../src/core/errors';
import { connectorFor, SessionManager } from '../../src/core/sessions';
import { DEFAULT_PREVIEW_SETTINGS, PreviewService } from '../../src/vscode/webview/previewService';
import { CATALOG, testHost } from '../support/host';
import { createScratchDatabase, type ScratchDatabase } from '../support/postgres';

describe('preview service: pages and the query cache on PostgreSQL', function () {
  this.timeout(60_000);
  let scratch: ScratchDatabase;
  let sessions: SessionManager;
  const ref = { namespace: 'public', entity: 'items' };

  before(async () => {
    scratch = await createScratchDatabase('preview');
    await scratch.exec(`CREATE TABLE items (n int PRIMARY KEY, doc jsonb, note text);
      INSERT INTO items SELECT g, jsonb_build_object('n', g, 'tags', jsonb_build_array('a', 'b')), NULL FROM generate_series(1, 25) g;
      CREATE VIEW slow AS SELECT pg_sleep(20)::text AS slept, 1 AS x;`);
    sessions = new SessionManager(connectorFor(CATALOG, async () => scratch.secret, testHost()));
  });
  after(async () => {
    await sessions?.closeAll();
    await scratch?.drop();
  });

  const service = (overrides: Partial<typeof DEFAULT_PREVIEW_SETTINGS> = {}, deadlineMs?: number) =>
    new PreviewService(sessions, CATALOG, { ...DEFAULT_PREVIEW_SETTINGS, ...overrides }, deadlineMs);
  const request = (index: number, fresh = false) => ({ profile: scratch.profile, ref, index, pageSize: 10, fresh });

  it('pages through the rows and serves a page it has seen from the cache', async () => {
    const previews = service();
    const first = await previews.fetch(request(0));
    assert.equal(first.fromCache, false);
    assert.deepEqual(first.page.columns, ['n', 'doc', 'note']);
    assert.deepEqual(first.page.rows[0], [1, { n: 1, tags: ['a', 'b'] }, null]);
    assert.equal(first.page.hasMore, true);
    const third = await previews.fetch(request(2));
    assert.equal(third.page.offset, 20);
    assert.equal(third.page.rows.length, 5);
    assert.equal(third.page.hasMore, false);
    const again = await previews.fetch(request(0));
    assert.equal(again.fromCache, true);
    assert.deepEqual(again.page, first.page);
    assert.equal(previews.lastPage?.fromCache, true);
  });

  it('reads the server again on Reload and after the profile is forgotten (Refresh)', async () => {
    const previews = service();
    await previews.fetch(request(0));
    // Every row, as the preview has no order of its own (an updated row moves in the heap).
    await scratch.exec(`UPDATE items SET note = 'changed'`);
    assert.equal((await previews.fetch(request(0))).page.rows[0]?.[2], null, 'the cached page until asked otherwise');
    const reloaded = await previews.fetch(request(0, true));
    assert.equal(reloaded.fromCache, false);
    assert.ok(reloaded.page.rows.every((r) => r[2] === 'changed'));
    assert.equal((await previews.fetch(request(0))).fromCache, true, 'the fresh page replaced the cached one');
    previews.forgetProfile(scratch.profile.id);
    assert.equal(previews.cachedPages, 0);
    assert.equal((await previews.fetch(request(0))).fromCache, false);
    await scratch.exec(`UPDATE items SET note = NULL`);
  });

  it('keeps to its entry and age limits, and to new ones once configured', async () => {
    const previews = service({ maxEntries: 1 });
    await previews.fetch(request(0));
    await previews.fetch(request(1));
    assert.equal(previews.cachedPages, 1);
    assert.equal((await previews.fetch(request(0))).fromCache, false, 'the least recently used page went');
    previews.configure({ ...DEFAULT_PREVIEW_SETTINGS, ttlMs: 0 });
    await previews.fetch(request(0));
    await new Promise((r) => setTimeout(r, 5));
    assert.equal((await previews.fetch(request(0))).fromCache, false, 'an expired page is read again');
  });

  it('cancels a page under way, on the server too', async () => {
    const previews = service();
    const controller = new AbortController();
    const started = Date.now();
    const pending = previews.fetch({ profile: scratch.profile, ref: { namespace: 'public', entity: 'slow' }, index: 0, pageSize: 10 }, controller.signal);
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(pending, (err: unknown) => isPlugboardError(err) && err.code === 'CANCELLED');
    assert.ok(Date.now() - started < 5_000, `cancel took ${Date.now() - started} ms`);
    await waitForNoSleepers();
  });

  it('gives up on a stalled page at its deadline, with a coded error', async () => {
    const previews = service({}, 500);
    const started = Date.now();
    await assert.rejects(previews.fetch({ profile: scratch.profile, ref: { namespace: 'public', entity: 'slow' }, index: 0, pageSize: 10 }), (err: unknown) => isPlugboardError(err) && err.code === 'CONNECTION_TIMEOUT' && /public\.slow/.test(err.message));
    assert.ok(Date.now() - started < 5_000);
    await waitForNoSleepers();
  });

  it('says clearly when a backend cannot preview', async () => {
    const rest = { id: 'rest', name: 'REST', kind: 'http', options: {} };
    await assert.rejects(service().fetch({ profile: rest, ref, index: 0, pageSize: 10 }), (err: unknown) => isPlugboardError(err) && err.code === 'INVALID_CONFIG' && /cannot preview/.test(err.message));
  });

  /** The cancelled pg_sleep must end on the server, not just in the client. */
  async function waitForNoSleepers(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const rows = await scratch.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%slow%' AND state = 'active' AND pid <> pg_backend_pid()`);
      if (Number(rows[0]?.n) === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('the stalled query is still running on the server');
  }
});
