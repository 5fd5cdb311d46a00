/**
 * What introspecting test/fixtures/pg-functions.sql (with `skipped` excluded) must give for its functions,
 * views and odd column types, written compactly so that a failure shows a readable line diff:
 * a value is `nativeType → neutral[]…?` (`?` = nullable) plus its references.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sqlOf, type Field, type Routine, type SchemaModel } from '../../src/core/model';
import { REPO } from './workdir';

export const FUNCTIONS_SQL = readFileSync(path.join(REPO, 'test', 'fixtures', 'pg-functions.sql'), 'utf8');
/** The fixture's `skipped` schema must never show up. */
export const FUNCTIONS_FILTER = { exclude: ['skipped'] };
export const OTHER_SCHEMA = 'Other "fn" schema';

export function valueLine(f: Field): string {
  const sql = sqlOf(f);
  const bits = [`${f.nativeType} → ${f.type}${'[]'.repeat(sql.arrayDims)}${f.nullable ? '?' : ''}`];
  if (f.enumRef) bits.push(`enum=${f.enumRef.namespace}.${f.enumRef.name}`);
  if (f.compositeRef) bits.push(`composite=${f.compositeRef.namespace}.${f.compositeRef.name}`);
  if (sql.domainRef) bits.push(`domain=${sql.domainRef.namespace}.${sql.domainRef.name}`);
  if (sql.generated) bits.push(`generated=${sql.generated}`);
  return bits.join(' ');
}

/** `name(mode arg: value, …) → returns [volatility] [procedure] [comment]`. */
export function routineLine(r: Routine): string {
  const args = r.args.map((a) => `${a.mode} ${a.name || '_'}: ${valueLine(a)}${a.hasDefault ? ' = default' : ''}`);
  const ret = r.returns;
  const set = ret.set ? 'setof ' : '';
  const returns =
    ret.kind === 'void' ? 'void'
    : ret.kind === 'scalar' ? `${set}scalar ${ret.type!.name}: ${valueLine(ret.type!)}`
    : ret.kind === 'entity' ? `${set}entity ${ret.entity!.namespace}.${ret.entity!.entity}`
    : `${set}columns (${ret.fields!.map((f) => `${f.name}: ${valueLine(f)}`).join(', ')})`;
  const extras = [r.volatility, r.procedure ? 'procedure' : '', r.comment ? `comment=${r.comment}` : ''].filter(Boolean);
  return `${r.name}(${args.join(', ')}) → ${returns}${extras.length ? ` [${extras.join('; ')}]` : ''}`;
}

export const EXPECTED_ROUTINES: Record<string, string[]> = {
  [OTHER_SCHEMA]: [`it's "odd"(in a b: app.color → enum? enum=app.color) → scalar it's "odd": boolean → boolean? [immutable]`],
  app: [
    'add(in a: integer → integer?, in b: integer → integer? = default) → scalar add: integer → integer? [immutable; comment=Adds */ two integers]',
    'add(in a: numeric → decimal?, in b: numeric → decimal?) → scalar add: numeric → decimal? [immutable]',
    'anything() → setof scalar anything: record → unknown? [volatile]',
    'bump(inout counter: integer → integer?, in step: integer → integer? = default) → scalar counter: integer → integer? [immutable]',
    'colors() → setof scalar colors: app.color → enum? enum=app.color [immutable]',
    'first_person() → entity app.people [stable]',
    'label(in _: integer → integer?, in _: text → string?) → scalar label: text → string? [immutable]',
    'pairs(in n: integer → integer?) → setof scalar pairs: app.pair → composite? composite=app.pair [immutable]',
    'people_named(in pattern: text → string?) → setof entity app.people [stable]',
    'rename(in person: integer → integer?, in new_name: text → string?) → void [procedure]',
    'same(in x: anyelement → unknown?) → scalar same: anyelement → unknown? [immutable]',
    'search(in q: text → string?, variadic tags: text[] → string[]?) → setof columns (id: integer → integer?, score: numeric → decimal?) [stable]',
    'shouting() → setof entity app.people_v [stable]',
    'stats() → columns (total: bigint → bigint?, newest: text → string?) [stable]',
    'sum_list(in l: app.int_list → integer[]? domain=app.int_list, in extra: integer[] → integer[]? = default) → scalar sum_list: app.positive → integer domain=app.positive [immutable]',
    'touch() → void [volatile]',
  ],
};

/** One routine in full, to pin the exact shape (defaults filled in, no stray keys). */
export const SEARCH_ROUTINE: Routine = {
  name: 'search',
  args: [
    { name: 'q', nativeType: 'text', type: 'string', nullable: true, sql: { default: null, identity: null, generated: null, arrayDims: 0 }, mode: 'in', hasDefault: false },
    { name: 'tags', nativeType: 'text[]', type: 'string', nullable: true, sql: { default: null, identity: null, generated: null, arrayDims: 1 }, mode: 'variadic', hasDefault: false },
  ],
  returns: {
    set: true,
    kind: 'columns',
    fields: [
      { name: 'id', nativeType: 'integer', type: 'integer', nullable: true, sql: { default: null, identity: null, generated: null, arrayDims: 0 } },
      { name: 'score', nativeType: 'numeric', type: 'decimal', nullable: true, sql: { default: null, identity: null, generated: null, arrayDims: 0 } },
    ],
  },
  volatility: 'stable',
};

export const EXPECTED_FIDELITY_FIELDS = [
  'integer → integer',
  'point → unknown?',
  'point[] → unknown[]?',
  'circle → unknown?',
  'numeric[] → decimal[]?',
  'app.money_list → decimal[]? domain=app.money_list',
  'app.int_list → integer[]? domain=app.int_list',
  'app.people → composite? composite=app.people',
  'app.wrapper → composite? composite=app.wrapper',
  'interval → interval?',
  'interval[] → interval[]?',
];

/** Asserts the functions, views and odd types of the model, part by part, so a failure names what differs. */
export function assertFunctionsModel(model: SchemaModel): void {
  assert.deepEqual(model.namespaces.map((n) => n.name), [OTHER_SCHEMA, 'app'], 'namespaces: a schema with only a function is one; `skipped` is not');
  for (const [name, lines] of Object.entries(EXPECTED_ROUTINES)) {
    const ns = model.namespaces.find((n) => n.name === name)!;
    assert.deepEqual(ns.functions.map(routineLine), lines, `functions of ${name}`);
  }
  const app = model.namespaces.find((n) => n.name === 'app')!;
  assert.deepEqual(app.functions.find((r) => r.name === 'search'), SEARCH_ROUTINE, 'the full shape of app.search');

  const entity = (name: string) => app.entities.find((e) => e.name === name)!;
  assert.deepEqual(entity('people_v').sql, { updatable: true }, 'people_v is written through');
  assert.deepEqual(entity('people_v').fields.map(valueLine), ['integer → integer', 'text → string', 'text → string?', 'text → string? generated=virtual'], 'a computed view column is not writable; traced columns keep their NOT NULL');
  assert.equal(entity('people_count').sql, undefined, 'an aggregate view is not updatable');
  assert.equal(entity('people_pairs').sql, undefined, 'a view that only takes INSERT (a rule) is not updatable');
  assert.equal(entity('people').sql, undefined, 'tables carry no updatable flag');

  assert.deepEqual(entity('fidelity').fields.map(valueLine), EXPECTED_FIDELITY_FIELDS, 'fields of app.fidelity');
  const wrapper = app.composites.find((c) => c.name === 'wrapper')!;
  assert.deepEqual(wrapper.fields.map(valueLine), ['app.people → composite? composite=app.people', 'text → string?'], 'a composite attribute of a table row type');
  assert.deepEqual(
    app.domains.map((d) => `${d.name}: ${d.baseType} → ${d.type}${'[]'.repeat(d.arrayDims)}${d.nullable ? '?' : ''}`),
    ['int_list: integer[] → integer[]?', 'money_list: numeric(12,2)[] → decimal[]?', 'positive: integer → integer'],
    'domains of app',
  );
}
