/**
 * What introspecting test/fixtures/hostile.sql (with `excluded_schema` excluded) must give, written compactly:
 * a field is `name: type[]…?` (`?` = nullable) plus flags, so a failure shows a readable line diff.
 */
import * as assert from 'node:assert/strict';
import { sqlOf, type Entity, type Field, type SchemaModel } from '../../src/core/model';

export const HOSTILE_SCHEMA = 'Hostile "Schema" café';
export const MOOD = 'mood "q"';
export const MOOD_VALUES = ["it's ok", 'with space', '😀 happy', 'quote"d', 'back\\slash', 'a*/b'];

export function fieldLine(f: Field): string {
  const sql = sqlOf(f);
  const bits = [`${f.name}: ${f.type}${'[]'.repeat(sql.arrayDims)}${f.nullable ? '?' : ''}`];
  if (sql.identity) bits.push(`identity=${sql.identity}`);
  if (sql.generated) bits.push(`generated=${sql.generated}`);
  else if (sql.default !== null) bits.push(`default=${sql.default}`);
  if (f.enumRef) bits.push(`enum=${f.enumRef.namespace}.${f.enumRef.name}`);
  if (f.compositeRef) bits.push(`composite=${f.compositeRef.namespace}.${f.compositeRef.name}`);
  if (sql.domainRef) bits.push(`domain=${sql.domainRef.namespace}.${sql.domainRef.name}`);
  if (f.comment) bits.push(`comment=${f.comment}`);
  if (f.nullability) bits.push(`(${f.nullability})`);
  return bits.join(' ');
}

interface ExpectedEntity {
  kind: Entity['kind'];
  fields: string[];
  pk?: string[];
  uniques?: Record<string, string[]>;
  /** name → "cols -> namespace.entity(cols) onDelete" */
  relations?: Record<string, string>;
  comment?: string;
}

const P = 'public';
const mood = `enum=${P}.${MOOD}`;

export const EXPECTED: Record<string, { entities: Record<string, ExpectedEntity>; enums: Record<string, string[]> }> = {
  [HOSTILE_SCHEMA]: {
    entities: {
      Orders: {
        kind: 'table',
        fields: [`id: integer default=nextval('"Hostile ""Schema"" café"."Orders_id_seq"'::regclass)`, 'user_id: integer?', `mood: enum? ${mood}`, 'Users: string?'],
        pk: ['id'],
        relations: { Orders_user_id_fkey: 'user_id -> public.users(id) no_action' },
      },
      users: { kind: 'table', fields: ['id: integer', 'note: string?'], pk: ['id'] },
    },
    enums: { kind: ['x', 'y'] },
  },
  [P]: {
    entities: {
      Users: { kind: 'table', fields: ['id: integer identity=always', 'Name: string?'], pk: ['id'] },
      active_users: { kind: 'view', fields: ['id: integer (not null: from public.users.id)', 'name: string (not null: from public.users.name)'], comment: 'Users with a manager' },
      composite_child: {
        kind: 'table',
        fields: ["id: integer default=nextval('composite_child_id_seq'::regclass)", 'tenant: integer', 'code: string'],
        pk: ['id'],
        relations: { composite_child_parent_fkey: 'tenant,code -> public.composite_pk(tenant,code) cascade' },
      },
      composite_pk: {
        kind: 'table',
        fields: ['tenant: integer', 'code: string', 'label: string?'],
        pk: ['tenant', 'code'],
        uniques: { composite_pk_label_key: ['label'] },
      },
      events: { kind: 'partitioned_table', fields: ['id: integer', 'at: date', 'payload: json?'], pk: ['id', 'at'] },
      kitchen_sink: {
        kind: 'table',
        fields: [
          'id: uuid default=gen_random_uuid()',
          `mood: enum ${mood}`,
          `moods: enum[]? ${mood}`,
          'ints: integer[]?',
          'grid: string[][]?',
          'doc: json?',
          `address: composite? composite=${P}.address type`,
          `addresses: composite[]? composite=${P}.address type`,
          'price: decimal?',
          `qty: integer? domain=${P}.positive_int`,
          `email: string domain=${P}.email_addr`,
          `st: enum? enum=${P}.status domain=${P}.status_domain`,
          'doubled: decimal? generated=stored',
          "tags: string[] default='{}'::text[]",
          'docs: json[]?',
          'blob: bytes?',
          'span: interval?',
          'flag: boolean? default=false',
          `qtys: integer[]? domain=${P}.positive_int`,
        ],
        pk: ['id'],
      },
      nothing: { kind: 'table', fields: [], comment: 'No columns' },
      reshaped: { kind: 'table', fields: ['id: integer', 'keep: string?'], pk: ['id'], comment: 'Its first column was dropped' },
      select: { kind: 'table', fields: ['order: integer?', 'user: string?', 'from: string?'] },
      simple: {
        kind: 'table',
        fields: ["id: integer default=nextval('simple_id_seq'::regclass)", 'name: string comment=display name */ not a comment end', 'score: bigint?', 'created_at: timestamptz default=now()'],
        pk: ['id'],
        comment: 'A plain table. This comment ends a block */ comment\nand spans two lines',
      },
      user_counts: { kind: 'materialized_view', fields: ['n: bigint (not null: count() is never null)'], comment: 'How many users' },
      users: {
        kind: 'table',
        fields: ['id: integer identity=by_default', 'name: string', 'manager_id: integer?'],
        pk: ['id'],
        relations: { users_manager_id_fkey: 'manager_id -> public.users(id) set_null' },
      },
      'weird "table" name': {
        kind: 'table',
        fields: ['id: bigint identity=always', '__proto__: string?', 'constructor: string?', 'toString: string?', 'has space: string?', 'quote"d: string?', 'café: string?', '日本: integer?', 'Case: string?', 'case: string?', 'a*/b: string?', 'line\u2028sep: string?'],
        pk: ['id'],
      },
    },
    enums: { [MOOD]: MOOD_VALUES, status: ['active', 'inactive'] },
  },
};

/** Asserts every important part of the hostile model, entity by entity, so a failure names what differs. */
export function assertHostileModel(model: SchemaModel): void {
  assert.deepEqual(model.namespaces.map((n) => n.name).sort(), Object.keys(EXPECTED).sort(), 'namespaces (excluded and system schemas must be absent)');
  for (const [nsName, expected] of Object.entries(EXPECTED)) {
    const ns = model.namespaces.find((n) => n.name === nsName)!;
    assert.deepEqual(ns.entities.map((e) => e.name).sort(), Object.keys(expected.entities).sort(), `entities of ${nsName} (partitions must not be listed)`);
    for (const [name, want] of Object.entries(expected.entities)) {
      const e = ns.entities.find((x) => x.name === name)!;
      const where = `${nsName}.${name}`;
      assert.equal(e.kind, want.kind, `kind of ${where}`);
      assert.deepEqual(e.fields.map(fieldLine), want.fields, `fields of ${where}`);
      assert.deepEqual(e.primaryKey?.columns ?? null, want.pk ?? null, `primary key of ${where}`);
      assert.deepEqual(Object.fromEntries(e.uniques.map((u) => [u.name, u.columns])), want.uniques ?? {}, `unique constraints of ${where}`);
      const relations = Object.fromEntries(
        e.relations.map((r) => [r.name, `${r.columns.join(',')} -> ${r.target.namespace}.${r.target.entity}(${r.target.columns.join(',')}) ${r.onDelete}`]),
      );
      assert.deepEqual(relations, want.relations ?? {}, `foreign keys of ${where}`);
      assert.equal(e.comment, want.comment, `comment of ${where}`);
    }
    assert.deepEqual(Object.fromEntries(ns.enums.map((x) => [x.name, x.values])), expected.enums, `enums of ${nsName}`);
  }
  const pub = model.namespaces.find((n) => n.name === P)!;
  assert.deepEqual(
    pub.domains.map((d) => `${d.name}: ${d.baseType} → ${d.type}${d.nullable ? '?' : ''}${d.enumRef ? ` enum=${d.enumRef.namespace}.${d.enumRef.name}` : ''}`),
    ['email_addr: text → string', 'positive_int: integer → integer?', 'status_domain: status → enum? enum=public.status'],
    'domains of public',
  );
  assert.deepEqual(
    pub.composites.map((c) => ({ name: c.name, comment: c.comment, fields: c.fields.map(fieldLine) })),
    [{ name: 'address type', comment: 'A postal address', fields: ['street: string? comment=street */ line', 'zip code: string?', 'tags: string[]?'] }],
    'composite types of public',
  );
  const hostile = model.namespaces.find((n) => n.name === HOSTILE_SCHEMA)!;
  assert.deepEqual([hostile.domains, hostile.composites], [[], []], `types of ${HOSTILE_SCHEMA}`);
  const child = pub.entities.find((e) => e.name === 'composite_child')!;
  assert.deepEqual(
    child.indexes.map((i) => ({ name: i.name, columns: i.columns, unique: i.unique, primary: i.primary, predicate: i.predicate })),
    [
      { name: 'composite_child_code_idx', columns: ['lower(code)'], unique: false, primary: false, predicate: '(tenant > 0)' },
      { name: 'composite_child_pkey', columns: ['id'], unique: true, primary: true, predicate: undefined },
    ],
    'indexes of public.composite_child',
  );
}
