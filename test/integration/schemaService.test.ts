/**
 * The schema service against the local PostgreSQL: one model per profile shared by every caller, the last
 * model kept visible while a re-read runs and when it fails, generation and drift through it.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SNAPSHOT_FILE } from '../../src/core/codegen/generate';
import { SchemaService } from '../../src/core/schemaService';
import { connectorFor, SessionManager } from '../../src/core/sessions';
import { CATALOG, testHost } from '../support/host';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { makeWorkDir } from '../support/workdir';

describe('SchemaService', function () {
  this.timeout(60_000);
  let scratch: ScratchDatabase | undefined;
  let sessions: SessionManager;
  let schemas: SchemaService;

  before(async () => {
    await requirePostgres();
    scratch = await createScratchDatabase('schemasvc');
    await scratch.exec('CREATE TABLE orders (id serial PRIMARY KEY, total numeric NOT NULL)');
    sessions = new SessionManager(connectorFor(CATALOG, async () => scratch!.secret, testHost()));
    schemas = new SchemaService(CATALOG, sessions);
  });
  after(async () => {
    await sessions?.closeAll();
    await scratch?.drop();
  });

  it('reads once for concurrent callers and caches until forgotten', async () => {
    const changes: string[] = [];
    const sub = schemas.onDidChange((id) => changes.push(id));
    const [a, b] = await Promise.all([schemas.model(scratch!.profile), schemas.model(scratch!.profile)]);
    assert.equal(a, b, 'one introspection served both');
    assert.equal(await schemas.model(scratch!.profile), a, 'cached');
    assert.equal(schemas.peek(scratch!.profile.id), a);
    assert.deepEqual(changes, [scratch!.profile.id]);
    schemas.forget(scratch!.profile.id);
    assert.equal(schemas.peek(scratch!.profile.id), undefined);
    sub.dispose();
  });

  it('shows the last model while a fresh read runs, then the new one', async () => {
    const first = await schemas.model(scratch!.profile);
    await scratch!.exec('ALTER TABLE orders ADD COLUMN note text');
    const pending = schemas.model(scratch!.profile, { fresh: true });
    assert.equal(schemas.peek(scratch!.profile.id), first, 'still the old model during the re-read');
    const second = await pending;
    assert.notEqual(second, first);
    assert.equal(schemas.peek(scratch!.profile.id), second);
    assert.ok(second.namespaces[0]!.entities[0]!.fields.some((f) => f.name === 'note'));
  });

  it('generates through the backend and reports drift against the live schema', async () => {
    const work = await makeWorkDir('schemasvc');
    try {
      const outcome = await schemas.generate(scratch!.profile, { targets: ['pg-crud'], outDir: work.dir });
      assert.deepEqual(outcome.targets, ['ts-types', 'pg-crud']);
      assert.equal(outcome.changes, undefined, 'no snapshot to compare with yet');
      assert.equal((await schemas.drift(scratch!.profile, work.dir)).stale, false);
      await scratch!.exec('ALTER TABLE orders ADD COLUMN tracking_code text');
      const drift = await schemas.drift(scratch!.profile, work.dir);
      assert.equal(drift.stale, true);
      assert.deepEqual(drift.changes.map((c) => `${c.kind} ${c.subject}`), ['added column public.orders.tracking_code']);
      const regenerated = await schemas.generate(scratch!.profile, { targets: ['pg-crud'], outDir: work.dir });
      assert.deepEqual(regenerated.changes?.map((c) => `${c.kind} ${c.subject}`), ['added column public.orders.tracking_code'], 'what changed since the snapshot');
      // The same schema again: the snapshot's header says so, and its body is not read (here: cut short).
      const snapshot = path.join(work.dir, SNAPSHOT_FILE);
      const text = await fs.readFile(snapshot, 'utf8');
      await fs.writeFile(snapshot, text.slice(0, text.indexOf('\n') + 1));
      const again = await schemas.generate(scratch!.profile, { targets: ['pg-crud'], outDir: work.dir });
      assert.deepEqual(again.changes, []);
      assert.equal(await fs.readFile(snapshot, 'utf8'), text, 'the snapshot is whole again');
      // An index changes nothing generated code depends on.
      await scratch!.exec('CREATE INDEX orders_total ON orders (total)');
      assert.equal((await schemas.drift(scratch!.profile, work.dir)).stale, false);
      // A comment is in the JSDoc: drift, and named.
      await scratch!.exec("COMMENT ON COLUMN orders.total IS 'gross, in cents'");
      const commented = await schemas.drift(scratch!.profile, work.dir);
      assert.equal(commented.stale, true);
      assert.deepEqual(commented.changes, [{ kind: 'changed', subject: 'column public.orders.total', detail: 'comment changed' }]);
    } finally {
      await work.remove();
    }
  });

  it('a failed re-read keeps the model that was known', async () => {
    const known = await schemas.model(scratch!.profile, { fresh: true });
    await sessions.close(scratch!.profile.id);
    await scratch!.drop();
    await assert.rejects(schemas.model(scratch!.profile, { fresh: true }), (err: { code?: string }) => err.code === 'DATABASE_NOT_FOUND');
    assert.equal(schemas.peek(scratch!.profile.id), known);
    assert.equal(await schemas.model(scratch!.profile), known, 'the cache still serves it');
  });
});
