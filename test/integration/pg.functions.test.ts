/**
 * Functions, updatable views and the odd column types of test/fixtures/pg-functions.sql through the
 * PostgreSQL backend, on the local server and on PGlite, compared with test/support/pgFunctionsExpected.ts;
 * schema filters and extension members; and the rule that introspection costs a fixed number of queries
 * however many functions there are.
 */
import * as assert from 'node:assert/strict';
import { fingerprint } from '../../src/core/introspect/fingerprint';
import { SchemaModel } from '../../src/core/model';
import { generatePg, introspectPg, pgProfile, scratchProfile } from '../support/pgBackend';
import { assertFunctionsModel, FUNCTIONS_FILTER as FILTER, FUNCTIONS_SQL, OTHER_SCHEMA } from '../support/pgFunctionsExpected';
import { startPglite, type PgliteServer } from '../support/pglite';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { startTogether } from '../support/settle';

describe('PostgreSQL functions, updatable views and odd types', function () {
  this.timeout(90_000);
  let scratch: ScratchDatabase | undefined;
  let pglite: PgliteServer | undefined;
  let localModel: SchemaModel;

  before(async () => {
    await requirePostgres();
    await startTogether([createScratchDatabase('functions'), startPglite(FUNCTIONS_SQL, 'pglite-functions')] as const, (s) => {
      [scratch, pglite] = s;
    });
    await scratch!.exec(FUNCTIONS_SQL);
    localModel = (await introspectPg(scratchProfile(scratch!), scratch!.secret, FILTER)).model;
  });
  after(async () => {
    await Promise.allSettled([scratch?.drop(), pglite?.stop()]);
  });

  it('local PostgreSQL: gives the expected functions, views and types (a valid SchemaModel)', () => {
    assert.deepEqual(SchemaModel.parse(localModel), localModel, 'the backend output is already a normalised SchemaModel');
    assertFunctionsModel(localModel);
  });

  it('PGlite: gives the same model, hence the same fingerprint', async () => {
    const { model } = await introspectPg(pgProfile('pglite-functions', { host: pglite!.host, port: pglite!.port, database: 'postgres', user: 'postgres' }), {}, FILTER);
    assertFunctionsModel(model);
    assert.equal(fingerprint(model), fingerprint(localModel));
  });

  it('docs-markdown lists the functions as SQL declares them, and the view written through', async () => {
    const { files } = await generatePg(localModel, ['docs-markdown']);
    const doc = files.find((f) => f.path === 'app.md')!.content;
    const functions = doc.slice(doc.indexOf('## Functions')).split('\n').filter((l) => l.startsWith('- '));
    assert.deepEqual(functions, [
      '- `add(a integer, b integer = …)` → `integer` (immutable) — Adds \\*/ two integers',
      '- `add(a numeric, b numeric)` → `numeric` (immutable)',
      '- `anything()` → `setof record`',
      '- `bump(inout counter integer, step integer = …)` → `integer` (immutable)',
      '- `colors()` → `setof app.color` (immutable)',
      '- `first_person()` → `app.people` (stable)',
      '- `label(integer, text)` → `text` (immutable)',
      '- `pairs(n integer)` → `setof app.pair` (immutable)',
      '- `people_named(pattern text)` → `setof app.people` (stable)',
      '- `procedure rename(person integer, new_name text)` → `void`',
      '- `same(x anyelement)` → `anyelement` (immutable)',
      '- `search(q text, variadic tags text[])` → `table(id integer, score numeric)` (stable)',
      '- `shouting()` → `setof app.people_v` (stable)',
      '- `stats()` → `record(total bigint, newest text)` (stable)',
      '- `sum_list(l app.int_list, extra integer[] = …)` → `app.positive` (immutable)',
      '- `touch()` → `void`',
    ]);
    assert.match(doc, /## View people\\_v\n\nWritable through\n\nPostgreSQL writes through this view: insert, update and delete\.\n/);
    assert.match(doc, /\| `amounts` \| `numeric\[\] \(decimal\[\]\)` \|/);
    const other = files.find((f) => f.path === 'other_fn_schema.md')!.content;
    assert.match(other, /- `it's "odd"\(a b app\.color\)` → `boolean` \(immutable\)/);
  });

  it('include filter: only that schema\'s functions, their argument types from other schemas still resolve', async () => {
    const { model } = await introspectPg(scratchProfile(scratch!), scratch!.secret, { include: [OTHER_SCHEMA] });
    assert.deepEqual(model.namespaces.map((n) => n.name), [OTHER_SCHEMA]);
    const [fn] = model.namespaces[0]!.functions;
    assert.deepEqual(fn?.args[0]?.enumRef, { namespace: 'app', name: 'color' });
  });

  it('leaves out the functions of an extension, even in a schema in scope', async () => {
    await scratch!.exec('CREATE EXTENSION "uuid-ossp" SCHEMA app');
    try {
      const { model } = await introspectPg(scratchProfile(scratch!), scratch!.secret, FILTER);
      const app = model.namespaces.find((n) => n.name === 'app')!;
      assert.deepEqual(app.functions.filter((r) => r.name.startsWith('uuid_')), []);
      assert.equal(fingerprint(model), fingerprint(localModel), 'nothing else changed');
    } finally {
      await scratch!.exec('DROP EXTENSION "uuid-ossp"');
    }
  });

  it('costs the same number of queries with 300 more functions', async () => {
    const before = await introspectPg(scratchProfile(scratch!), scratch!.secret, FILTER);
    await scratch!.exec(`CREATE SCHEMA many;
      DO $$ BEGIN FOR i IN 1..300 LOOP
        EXECUTE format('CREATE FUNCTION many.f%s(a int, b text DEFAULT %L) RETURNS TABLE(x int, y text) LANGUAGE sql AS %L', i, i, 'SELECT a, b');
      END LOOP; END $$`);
    try {
      const after = await introspectPg(scratchProfile(scratch!), scratch!.secret, FILTER);
      assert.equal(after.model.namespaces.find((n) => n.name === 'many')?.functions.length, 300);
      assert.equal(after.queries, before.queries, 'same number of catalog queries');
      assert.equal(before.queries, 7, 'seven catalog queries: two for columns, indexes, constraints, types, functions, views');
    } finally {
      await scratch!.exec('DROP SCHEMA many CASCADE');
    }
  });
});
