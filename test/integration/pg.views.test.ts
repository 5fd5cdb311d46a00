/**
 * View column nullability traced from the rewrite rules, on the local PostgreSQL and on PGlite: inner and
 * outer joins, expressions, coalesce, unions, nested views, subqueries, CTEs, aggregates, a base table in a
 * schema outside the filter, hostile names; and the note that says why, in the generated JSDoc.
 */
import * as assert from 'node:assert/strict';
import { generate } from '../../src/core/codegen/generate';
import type { SchemaModel } from '../../src/core/model';
import { codegenFor } from '../support/host';
import { startPglite, type PgliteServer } from '../support/pglite';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { introspectOnce } from '../support/sessions';

const ODD = 'odd.view "q"';
const SQL = `
CREATE SCHEMA vw;
CREATE SCHEMA elsewhere;
CREATE TABLE vw.customers (id int PRIMARY KEY, name text NOT NULL, email text);
CREATE TABLE vw.orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES vw.customers, total numeric NOT NULL, note text);
CREATE TABLE elsewhere.base (k int NOT NULL, v text);
CREATE VIEW vw.inner_join AS SELECT o.id, c.name, c.email, o.total FROM vw.orders o JOIN vw.customers c ON c.id = o.customer_id;
CREATE VIEW vw.left_join AS SELECT c.id AS customer_id, c.name, o.id AS order_id, o.total FROM vw.customers c LEFT JOIN vw.orders o ON o.customer_id = c.id;
CREATE VIEW vw.right_join AS SELECT c.name, o.id FROM vw.customers c RIGHT JOIN vw.orders o ON o.customer_id = c.id;
CREATE VIEW vw.full_join AS SELECT id, c.name FROM vw.customers c FULL JOIN vw.orders o USING (id);
CREATE VIEW vw.exprs AS SELECT id, upper(name) AS shout, id + 1 AS next, 'x'::text AS konst, NULL::text AS nothing, name::varchar AS cast_name FROM vw.customers;
CREATE VIEW vw.coalesced AS SELECT coalesce(o.note, c.name) AS sure, coalesce(c.email, o.note) AS unsure FROM vw.customers c LEFT JOIN vw.orders o ON o.customer_id = c.id;
CREATE VIEW vw.unioned AS SELECT id, name FROM vw.customers UNION ALL SELECT id, note FROM vw.orders;
CREATE VIEW vw.intersected AS SELECT email FROM vw.customers INTERSECT SELECT name FROM vw.customers;
CREATE VIEW vw.nested AS SELECT customer_id, name, order_id FROM vw.left_join;
CREATE VIEW vw.cross_schema AS SELECT k, v FROM elsewhere.base;
CREATE VIEW vw.counted AS SELECT customer_id, count(*) AS n, sum(total) AS s FROM vw.orders GROUP BY customer_id;
CREATE VIEW vw.sub AS SELECT x.id, x.email FROM (SELECT id, email FROM vw.customers) x;
CREATE VIEW vw.with_cte AS WITH c AS (SELECT id, email FROM vw.customers) SELECT id, email FROM c;
CREATE VIEW vw.rolled AS SELECT name, count(*) AS n FROM vw.customers GROUP BY ROLLUP (name);
CREATE VIEW vw.valued AS SELECT x FROM (VALUES (1)) v(x);
CREATE MATERIALIZED VIEW vw.mat AS SELECT id, email FROM vw.customers;
CREATE VIEW vw."${ODD.replace(/"/g, '""')}" AS SELECT id AS "we ird}", name AS ":x" FROM vw.customers;
`;

/** view → column → [nullable, what the note must say]. */
const EXPECTED: Record<string, Record<string, [boolean, RegExp]>> = {
  inner_join: { id: [false, /^not null: from vw\.orders\.id$/], name: [false, /customers\.name/], email: [true, /^nullable: from vw\.customers\.email, which allows null$/], total: [false, /orders\.total/] },
  left_join: { customer_id: [false, /customers\.id/], name: [false, /customers\.name/], order_id: [true, /nullable side of a LEFT JOIN/], total: [true, /LEFT JOIN/] },
  right_join: { name: [true, /nullable side of a RIGHT JOIN/], id: [false, /orders\.id/] },
  full_join: { id: [true, /every argument of coalesce/], name: [true, /FULL JOIN/] },
  exprs: {
    id: [false, /customers\.id/],
    shout: [true, /computed by a function call/],
    next: [true, /computed by an operator expression/],
    konst: [false, /^not null: a constant$/],
    nothing: [true, /NULL constant/],
    cast_name: [false, /customers\.name/],
  },
  coalesced: { sure: [false, /^not null: coalesce has a non-null argument \(from vw\.customers\.name\)$/], unsure: [true, /every argument of coalesce/] },
  unioned: { id: [false, /every branch of the UNION/], name: [true, /a branch of the UNION is \(from vw\.orders\.note, which allows null\)/] },
  intersected: { email: [false, /INTERSECT branch is/] },
  nested: { customer_id: [false, /^not null: from vw\.customers\.id \(through vw\.left_join\.customer_id\)$/], name: [false, /through vw\.left_join/], order_id: [true, /LEFT JOIN/] },
  cross_schema: { k: [false, /^not null: from elsewhere\.base\.k$/], v: [true, /allows null/] },
  counted: { customer_id: [false, /orders\.customer_id/], n: [false, /count\(\) is never null/], s: [true, /an aggregate/] },
  sub: { id: [false, /customers\.id/], email: [true, /allows null/] },
  with_cte: { id: [false, /customers\.id/], email: [true, /allows null/] },
  rolled: { name: [true, /GROUPING SETS/], n: [true, /GROUPING SETS/] },
  valued: { x: [true, /VALUES list/] },
  mat: { id: [false, /customers\.id/], email: [true, /allows null/] },
  [ODD]: { 'we ird}': [false, /customers\.id/], ':x': [false, /customers\.name/] },
};

function assertViews(model: SchemaModel): void {
  const vw = model.namespaces.find((n) => n.name === 'vw')!;
  for (const [view, columns] of Object.entries(EXPECTED)) {
    const e = vw.entities.find((x) => x.name === view);
    assert.ok(e, `view ${view} is in the model`);
    assert.deepEqual(e.fields.map((f) => f.name), Object.keys(columns), `columns of ${view}`);
    for (const f of e.fields) {
      const [nullable, note] = columns[f.name]!;
      assert.equal(f.nullable, nullable, `${view}.${f.name} nullable (${f.nullability})`);
      assert.match(f.nullability ?? '', note, `${view}.${f.name}`);
    }
  }
  const table = vw.entities.find((x) => x.name === 'customers')!;
  assert.equal(table.fields[0]!.nullability, undefined, 'table columns are declared, not traced');
}

describe('view nullability (PostgreSQL)', function () {
  this.timeout(60_000);
  let scratch: ScratchDatabase | undefined;
  let pglite: PgliteServer | undefined;
  before(async () => {
    await requirePostgres();
    scratch = await createScratchDatabase('views');
    await scratch.exec(SQL);
    pglite = await startPglite(SQL, 'pglite-views');
  });
  after(async () => {
    await scratch?.drop();
    await pglite?.stop();
  });

  it('local PostgreSQL: traced through joins, expressions, coalesce, set operations and nested views', async () => {
    const { model } = await introspectOnce(scratch!.profile, scratch!.secret, { include: ['vw'] });
    assertViews(model);
  });

  it('PGlite: the same', async () => {
    const { model } = await introspectOnce(pglite!.profile, {}, { include: ['vw'] });
    assertViews(model);
  });

  it('ts-types says why in JSDoc, and types traced columns as not null', async () => {
    const { model } = await introspectOnce(scratch!.profile, scratch!.secret, { include: ['vw'] });
    const types = (await generate(model, codegenFor('postgres', { profileName: 'v', targets: ['ts-types'] }))).files[0]!.content;
    assert.match(types, /export interface LeftJoinRow \{\n {2}\/\*\* integer; not null: from vw\.customers\.id \*\/\n {2}customer_id: number;\n/);
    assert.match(types, /\/\*\* integer; nullable: the nullable side of a LEFT JOIN \*\/\n {2}order_id: number \| null;/);
  });
});
