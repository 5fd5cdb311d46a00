/**
 * What the editor shows of a PostgreSQL entity beyond the model: pages of rows (Preview Data), the DDL the
 * server would accept back (Show DDL), and names and queries to copy — on the hostile schema.
 */
import * as assert from 'node:assert/strict';
import type { Session } from '../../src/core/backend';
import { CATALOG } from '../support/host';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { connect, HOSTILE_SQL } from '../support/sessions';

describe('postgres: preview, DDL and snippets', function () {
  this.timeout(60_000);
  let scratch: ScratchDatabase | undefined;
  let session: Session;
  const weird = { namespace: 'public', entity: 'weird "table" name' };

  before(async () => {
    await requirePostgres();
    scratch = await createScratchDatabase('browse');
    await scratch.exec(HOSTILE_SQL);
    await scratch.exec(`CREATE TABLE public.pages (n int PRIMARY KEY, at timestamptz DEFAULT now(), big bigint, raw bytea, doc jsonb);
      INSERT INTO public.pages SELECT g, '2026-01-02T03:04:05Z', 9007199254740993, '\\xdeadbeef', jsonb_build_object('n', g) FROM generate_series(1, 25) g;`);
    session = await connect(scratch.profile, scratch.secret);
  });
  after(async () => {
    await session?.close();
    await scratch?.drop();
  });

  it('pages through rows with JSON-safe cells and says when more follow', async () => {
    const ref = { namespace: 'public', entity: 'pages' };
    const first = await session.preview!(ref, { limit: 10, offset: 0 });
    assert.deepEqual(first.columns, ['n', 'at', 'big', 'raw', 'doc']);
    assert.equal(first.rows.length, 10);
    assert.equal(first.hasMore, true);
    assert.deepEqual(first.rows[0], [1, '2026-01-02T03:04:05.000Z', '9007199254740993', '\\xdeadbeef', { n: 1 }]);
    const last = await session.preview!(ref, { limit: 10, offset: 20 });
    assert.equal(last.rows.length, 5);
    assert.equal(last.hasMore, false);
    assert.deepEqual(JSON.parse(JSON.stringify(last.rows)), last.rows, 'cells survive JSON (they cross into a webview)');
  });

  it('quotes odd names with pg\'s own escaping, in the preview query and in snippets', async () => {
    const page = await session.preview!(weird, { limit: 5, offset: 0 });
    assert.ok(Array.isArray(page.rows));
    const snippets = (await CATALOG.driver('postgres')).snippets!;
    assert.equal(snippets.name(weird), '"public"."weird ""table"" name"');
    assert.equal(snippets.name(weird, 'a "b"'), '"a ""b"""');
    assert.equal(snippets.select(weird, ['x', 'y z'], 100), 'SELECT "x", "y z"\nFROM "public"."weird ""table"" name"\nLIMIT 100;');
  });

  it('writes the DDL of a table, with constraints and indexes, that the server accepts back', async () => {
    const ddl = await session.ddl!({ namespace: 'public', entity: 'pages' });
    assert.match(ddl, /^CREATE TABLE "public"\."pages" \(\n {2}"n" integer NOT NULL,\n {2}"at" timestamp with time zone DEFAULT now\(\),/);
    assert.match(ddl, /CONSTRAINT "pages_pkey" PRIMARY KEY \(n\)/);
    await scratch!.exec(`CREATE SCHEMA ddl_copy; ${ddl.replace(/"public"\./g, '"ddl_copy".')}`);
    const [{ n }] = await scratch!.query<{ n: string }>(`SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = 'ddl_copy' AND table_name = 'pages'`);
    assert.equal(Number(n), 5);
  });

  it('writes a view as CREATE VIEW with the server\'s own definition, and says when an entity is gone', async () => {
    const model = await session.introspect({ include: ['public'] });
    const view = model.namespaces[0]!.entities.find((e) => e.kind === 'view')!;
    assert.match(await session.ddl!({ namespace: 'public', entity: view.name }), /^CREATE VIEW "public"\.".*" AS\n[\s\S]*;\n$/);
    assert.match(await session.ddl!({ namespace: 'public', entity: 'no such table' }), /no longer exists/);
  });
});
