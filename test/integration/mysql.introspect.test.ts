/**
 * Introspection of the hostile schema on the local MariaDB through the backend's driver, compared field by
 * field with test/support/mysqlExpected.ts; database filters; and the number of catalog queries, which must
 * not grow with the number of tables.
 */
import * as assert from 'node:assert/strict';
import { escapeId } from 'mysql2/promise';
import { fingerprint } from '../../src/core/introspect/fingerprint';
import { SchemaModel } from '../../src/core/model';
import { SYSTEM_DATABASES } from '../../src/backends/mysql/options';
import { connectMysql, createScratchDatabases, loadHostile, serverOptions, type ScratchDatabases } from '../support/mysql';
import { assertNamespace, EXPECTED_MAIN, EXPECTED_OTHER } from '../support/mysqlExpected';
import type { IntrospectOptions } from '../../src/core/backend';
import type { MySqlOptions } from '../../src/backends/mysql/options';

async function introspect(options: MySqlOptions, opts: IntrospectOptions = {}): Promise<{ model: SchemaModel; queries: number }> {
  const session = await connectMysql(options);
  try {
    const before = session.queryCount;
    const model = await session.introspect(opts);
    return { model, queries: session.queryCount - before };
  } finally {
    await session.close();
  }
}

describe('mysql introspection of the hostile schema', function () {
  this.timeout(60_000);
  let dbs: ScratchDatabases | undefined;
  let main: string;
  let other: string;
  let empty: string;

  before(async () => {
    dbs = await createScratchDatabases('main café "q"', 'other', 'empty');
    [main, other, empty] = dbs.names as [string, string, string];
    await loadHostile(dbs, main, other);
  });

  after(async () => {
    await dbs?.drop();
  });

  it('gives the expected model for both databases, a valid SchemaModel', async () => {
    const { model } = await introspect(serverOptions(main), { include: [main, other] });
    assert.deepEqual(SchemaModel.parse(model), model, 'the model is valid as it is');
    assert.equal(model.source.kind, 'mysql');
    assert.match(model.source.serverVersion ?? '', /^(MariaDB|MySQL) \d+\.\d+\.\d+$/);
    assert.deepEqual(model.namespaces.map((n) => n.name), [main, other].sort());
    const names = { MAIN: main, OTHER: other };
    assertNamespace(model, main, EXPECTED_MAIN, names);
    assertNamespace(model, other, EXPECTED_OTHER, names);
  });

  it('built in slices (the extension host): the same model', async () => {
    const { model: whole } = await introspect(serverOptions(main), { include: [main, other] });
    const { model: sliced } = await introspect(serverOptions(main), { include: [main, other], sliced: true });
    assert.deepEqual(sliced, whole);
  });

  it("covers the profile's database by default; a foreign key into another one still names its target", async () => {
    const { model } = await introspect(serverOptions(main));
    assert.deepEqual(model.namespaces.map((n) => n.name), [main]);
    const orders = model.namespaces[0]!.entities.find((e) => e.name === 'orders')!;
    assert.deepEqual(orders.relations.find((r) => r.name === 'orders_account')?.target, { namespace: other, entity: 'accounts', columns: ['id'] });
  });

  it('takes include / exclude filters; system databases never; an empty database is an empty namespace', async () => {
    const all = await introspect({ ...serverOptions(), databases: { exclude: [other] } });
    const names = all.model.namespaces.map((n) => n.name);
    assert.ok(names.includes(main) && names.includes(empty) && !names.includes(other), names.join(', '));
    for (const system of SYSTEM_DATABASES) assert.ok(!names.includes(system), `${system} is left out`);
    assert.deepEqual(all.model.namespaces.find((n) => n.name === empty)?.entities, []);
    const none = await introspect(serverOptions(main), { include: ['no such database'] });
    assert.deepEqual(none.model.namespaces, [], 'a filter naming no database gives an empty model, not an error');
    const system = await introspect(serverOptions(main), { include: ['mysql'] });
    assert.deepEqual(system.model.namespaces, [], 'even when asked for by name');
  });

  it('the same schema gives the same fingerprint, and TINYINT(1) can stay a number', async () => {
    const [a, b, numbers] = await Promise.all([
      introspect(serverOptions(main)),
      introspect(serverOptions(main)),
      introspect({ ...serverOptions(main), tinyint1AsBoolean: false }),
    ]);
    assert.equal(fingerprint(a.model), fingerprint(b.model));
    const flag = (m: SchemaModel) => m.namespaces[0]!.entities.find((e) => e.name === 'every_type')!.fields.find((f) => f.name === 'flag')!;
    assert.equal(flag(a.model).type, 'boolean');
    assert.equal(flag(numbers.model).type, 'integer');
    assert.notEqual(fingerprint(a.model), fingerprint(numbers.model));
  });

  it('reports progress from 0 to 1, and a ping names the server', async () => {
    const session = await connectMysql(serverOptions(main));
    try {
      const steps: number[] = [];
      await session.introspect({}, (_message, fraction) => steps.push(fraction ?? -1));
      assert.deepEqual([steps[0], steps[steps.length - 1]], [0, 1]);
      const health = await session.ping();
      assert.equal(health.status, 'ok');
      assert.match(health.serverVersion ?? '', /^(MariaDB|MySQL) \d/);
      assert.ok((health.latencyMs ?? -1) >= 0);
    } finally {
      await session.close();
    }
  });
});

/** `count` tables, each with a key, an index, a foreign key to the one before, a CHECK and a comment. */
function tablesSql(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = escapeId(`t${i}`);
    const fk = i > 0 ? `, parent_id INT NULL, CONSTRAINT ${escapeId(`t${i}_parent`)} FOREIGN KEY (parent_id) REFERENCES ${escapeId(`t${i - 1}`)} (id)` : '';
    out.push(
      `CREATE TABLE ${t} (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL DEFAULT 'x', state ENUM('a','b') NULL, ` +
        `amount DECIMAL(10,2) NULL CHECK (amount >= 0), doc JSON NULL, at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, ` +
        `KEY ${escapeId(`t${i}_name`)} (name)${fk}) COMMENT 'table ${i}';`,
    );
  }
  return out.join('\n');
}

describe('mysql introspection cost does not grow with the schema', function () {
  this.timeout(300_000);
  const SIZES = [50, 500];
  let dbs: ScratchDatabases | undefined;

  before(async () => {
    dbs = await createScratchDatabases(...SIZES.map((n) => `${n} tables`), 'hostile', 'other');
    await Promise.all([...SIZES.map((n, i) => dbs!.exec(tablesSql(n), dbs!.names[i])), loadHostile(dbs, dbs.names[2]!, dbs.names[3]!)]);
  });

  after(async () => {
    await dbs?.drop();
  });

  it(`${SIZES.join(' and ')} tables take as many catalog queries as the hostile schema`, async () => {
    const runs = await Promise.all(dbs!.names.slice(0, 3).map((db) => introspect(serverOptions(db))));
    const [small, large, hostile] = runs as [Awaited<ReturnType<typeof introspect>>, Awaited<ReturnType<typeof introspect>>, Awaited<ReturnType<typeof introspect>>];
    assert.equal(small.model.namespaces[0]!.entities.length, 50);
    assert.equal(large.model.namespaces[0]!.entities.length, 500);
    assert.equal(large.model.namespaces[0]!.entities.find((e) => e.name === 't499')!.relations[0]!.target.entity, 't498');
    assert.deepEqual([small.queries, large.queries], [hostile.queries, hostile.queries]);
    assert.ok(hostile.queries <= 8, `${hostile.queries} catalog queries`);
  });

  it('introspects 500 tables in well under the deadline of one step', async () => {
    const started = performance.now();
    await introspect(serverOptions(dbs!.names[1]));
    const ms = performance.now() - started;
    assert.ok(ms < 5_000, `took ${Math.round(ms)} ms`);
  });
});
