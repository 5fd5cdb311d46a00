/**
 * Introspection of the hostile schema through the adapter, on the local server and on PGlite, compared with
 * the expected model (test/support/hostileExpected.ts); schema filters; and the rule that introspection
 * costs a fixed number of catalog queries whatever the database's size.
 */
import * as assert from 'node:assert/strict';
import { catalogQueries } from '../../src/backends/postgres/catalog';
import { modelFromCatalog, modelSteps, parseCatalogResult } from '../../src/backends/postgres/introspect';
import { generate } from '../../src/core/codegen/generate';
import { HOST_STEP_SIZE, runStepsSliced, Slicer } from '../../src/core/slices';
import { SchemaModel } from '../../src/core/model';
import { bigSchemaSql } from '../support/bigSchema';
import { codegenFor } from '../support/host';
import { assertHostileModel, HOSTILE_SCHEMA, MOOD } from '../support/hostileExpected';
import { startPglite, type PgliteServer } from '../support/pglite';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/postgres';
import { connect, HOSTILE_FILTER, HOSTILE_SQL, introspectOnce } from '../support/sessions';
import { startTogether } from '../support/settle';

describe('introspection of the hostile schema', function () {
  this.timeout(60_000);
  let scratch: ScratchDatabase | undefined;

  before(async () => {
    await requirePostgres();
    scratch = await createScratchDatabase('introspect');
    await scratch.exec(HOSTILE_SQL);
  });
  after(async () => {
    await scratch?.drop();
  });

  it('local PostgreSQL: gives the expected model (a valid SchemaModel)', async () => {
    const { model } = await introspectOnce(scratch!.profile, scratch!.secret);
    assert.deepEqual(SchemaModel.parse(model), model, 'the adapter output is already a normalised SchemaModel');
    assert.equal(model.source.kind, 'postgres');
    assert.equal(model.source.database, scratch!.name);
    assert.match(model.source.serverVersion ?? '', /^\d+/);
    assertHostileModel(model);
  });

  it('built in slices (the extension host): the same model', async () => {
    const { model: whole } = await introspectOnce(scratch!.profile, scratch!.secret);
    const { model: sliced } = await introspectOnce(scratch!.profile, scratch!.secret, { ...HOSTILE_FILTER, sliced: true });
    assert.deepEqual(sliced, whole);
  });

  it('include filter: only the named schema, types from other schemas still resolve', async () => {
    const { model } = await introspectOnce(scratch!.profile, scratch!.secret, { include: [HOSTILE_SCHEMA] });
    assert.deepEqual(model.namespaces.map((n) => n.name), [HOSTILE_SCHEMA]);
    const orders = model.namespaces[0]!.entities.find((e) => e.name === 'Orders')!;
    assert.deepEqual(orders.fields.find((f) => f.name === 'mood')?.enumRef, { namespace: 'public', name: MOOD });
  });

  it('without a filter the excluded schema is there, system schemas never are', async () => {
    const { model } = await introspectOnce(scratch!.profile, scratch!.secret, {});
    const names = model.namespaces.map((n) => n.name);
    assert.deepEqual(names, [HOSTILE_SCHEMA, 'excluded_schema', 'public']);
    assert.deepEqual(model.namespaces[1]!.entities.map((e) => e.name), ['hidden']);
  });

  it('a filter naming no schema gives an empty model, not an error', async () => {
    const { model } = await introspectOnce(scratch!.profile, scratch!.secret, { include: ['no such schema'] });
    assert.deepEqual(model.namespaces, []);
  });

  it('reports progress from 0 to 1', async () => {
    const session = await connect(scratch!.profile, scratch!.secret);
    const seen: number[] = [];
    try {
      await session.introspect({}, (_message, fraction) => fraction !== undefined && seen.push(fraction));
    } finally {
      await session.close();
    }
    assert.equal(seen[0], 0);
    assert.equal(seen.at(-1), 1);
    assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'progress never goes backwards');
  });

  describe('on PGlite', () => {
    let pglite: PgliteServer | undefined;
    before(async () => {
      pglite = await startPglite(HOSTILE_SQL, 'pglite-introspect');
    });
    after(async () => {
      await pglite?.stop();
    });

    it('gives the same expected model', async () => {
      const { model } = await introspectOnce(pglite!.profile);
      assert.match(model.source.serverVersion ?? '', /^1[7-9]|^[2-9]\d/, 'PGlite is a recent Postgres');
      assertHostileModel(model);
    });
  });
});

describe('introspection cost does not grow with the schema', function () {
  this.timeout(60_000);
  const TABLES = 520;
  let small: ScratchDatabase | undefined;
  let big: ScratchDatabase | undefined;

  before(async () => {
    await requirePostgres();
    await startTogether([createScratchDatabase('small'), createScratchDatabase('big')] as const, (s) => {
      [small, big] = s;
    });
    await Promise.all([small!.exec(HOSTILE_SQL), big!.exec(bigSchemaSql(TABLES))]);
  });
  after(async () => {
    await Promise.allSettled([small?.drop(), big?.drop()]);
  });

  it(`the hostile schema and ${TABLES} tables take the same number of queries`, async () => {
    const a = await introspectOnce(small!.profile, small!.secret, {});
    const b = await introspectOnce(big!.profile, big!.secret, {});
    const tables = b.model.namespaces.flatMap((n) => n.entities).filter((e) => e.kind === 'table');
    assert.equal(tables.length, TABLES);
    assert.equal(b.queries, a.queries, 'same number of catalog queries for a small and a big schema');
    assert.ok(a.queries > 0 && a.queries <= 7, `a handful of catalog queries (got ${a.queries})`);
  });

  it(`builds the ${TABLES}-table model in steps, the event loop turning between them, and the same model`, async () => {
    const results = await Promise.all(catalogQueries(null, []).map(async (q) => parseCatalogResult(q.part, await big!.query(q.text, q.values))));
    const whole = modelFromCatalog(results);
    let turns = 0;
    let spinning = true;
    const spin = () => {
      if (!spinning) return;
      turns++;
      setImmediate(spin);
    };
    spin();
    // A 0 ms slice: every step yields, so the steps are counted as the turns they let through.
    const sliced = await runStepsSliced(modelSteps(results, HOST_STEP_SIZE), new Slicer(0)).finally(() => (spinning = false));
    assert.deepEqual(sliced, whole);
    assert.ok(turns >= 10, `the event loop turned ${turns} times while the model was built`);
  });

  it(`introspects and generates ${TABLES} tables quickly`, async () => {
    const started = performance.now();
    const { model } = await introspectOnce(big!.profile, big!.secret, {});
    const introspectMs = performance.now() - started;
    const genStarted = performance.now();
    const result = await generate(model, codegenFor('postgres', { profileName: 'big', targets: ['ts-types', 'pg-crud'], splitThreshold: 0 }));
    const generateMs = performance.now() - genStarted;
    assert.equal(result.files.filter((f) => f.path.endsWith('.crud.ts')).length, 2);
    const app = model.namespaces.find((n) => n.name === 'app')!;
    const t1 = app.entities.find((e) => e.name === 't0001')!;
    assert.deepEqual(t1.relations.map((r) => `${r.target.namespace}.${r.target.entity}`), ['app.t0000']);
    const t5 = app.entities.find((e) => e.name === 't0005')!;
    assert.deepEqual(t5.relations.map((r) => `${r.target.namespace}.${r.target.entity}`), ['audit.t0004'], 'cross-schema FK');
    // Generous bounds: a timed test must not flake; the benchmark (npm run bench) measures properly.
    assert.ok(introspectMs < 10_000, `introspection took ${Math.round(introspectMs)} ms`);
    assert.ok(generateMs < 3_000, `codegen took ${Math.round(generateMs)} ms`);
  });
});
