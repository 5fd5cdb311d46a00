import type { CheckConstraint, Entity, EntityKind, Field, Index, Namespace, Relation, SchemaModel, SqlFacets } from '../../core/model';
import type { CatalogRows, ColumnRow, IndexRow } from './catalog';
import { backtick, columnShape, normaliseDefault, unwrapParens } from './columnTypes';
import type { ServerInfo } from './server';

export interface BuildOptions {
  tinyint1AsBoolean: boolean;
  /** The profile's database, for the model's source. */
  database?: string;
}

const FK_RULES: Record<string, Relation['onDelete']> = {
  CASCADE: 'cascade',
  'SET NULL': 'set_null',
  'SET DEFAULT': 'set_default',
  RESTRICT: 'restrict',
  'NO ACTION': 'no_action',
};

/** Entities by `schema \0 name`: table names are case-sensitive here (lower_case_table_names = 0 keeps `Users` and `users` apart). */
const keyOf = (schema: string, name: string) => `${schema}\u0000${name}`;
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Builds the model from the catalog rows (catalog.ts). A namespace per database in scope (also an empty
 * one); tables, partitioned tables (listed once: information_schema.TABLES has no rows for partitions) and
 * views; fields in column order; keys, indexes, foreign keys and CHECK constraints by name.
 */
export function buildModel(server: ServerInfo, rows: CatalogRows, options: BuildOptions): SchemaModel {
  const namespaces = new Map<string, Namespace>();
  const ns = (name: string): Namespace => {
    let n = namespaces.get(name);
    if (!n) namespaces.set(name, (n = { name, entities: [], enums: [], domains: [], composites: [], functions: [] }));
    return n;
  };
  for (const [schema] of rows.schemata) ns(schema);

  const updatable = new Map(rows.views.map(([schema, name, u]) => [keyOf(schema, name), u === 'YES']));
  const entities = new Map<string, Entity>();
  for (const [schema, name, type, tableRows, createOptions, comment] of rows.tables) {
    const kind = entityKind(type, createOptions);
    if (!kind) continue;
    const e: Entity = { name, kind, fields: [], primaryKey: null, uniques: [], indexes: [], relations: [] };
    // A view's TABLE_COMMENT is the word VIEW (views cannot have comments).
    if (comment && kind !== 'view') e.comment = comment;
    if (kind === 'view') e.sql = { updatable: updatable.get(keyOf(schema, name)) ?? false };
    if (tableRows !== null && kind !== 'view') e.stats = { rows: Number(tableRows) };
    entities.set(keyOf(schema, name), e);
    ns(schema).entities.push(e);
  }

  // MariaDB's JSON columns, and the CHECK constraints that are not one.
  const jsonColumns = new Set<string>();
  const checks = new Map<string, CheckConstraint[]>();
  for (const [schema, table, name, clause] of rows.checks) {
    if (server.flavor === 'mariadb' && clause.trim().toLowerCase() === `json_valid(${backtick(name)})`.toLowerCase()) {
      jsonColumns.add(`${keyOf(schema, table)}\u0000${name}`);
      continue;
    }
    const list = checks.get(keyOf(schema, table)) ?? [];
    list.push({ name, expression: unwrapParens(clause) });
    checks.set(keyOf(schema, table), list);
  }
  for (const [key, list] of checks) {
    const e = entities.get(key);
    if (e) e.sql = { ...e.sql, checks: list.sort(byName) };
  }

  addFields(entities, rows.columns, jsonColumns, server, options);
  addIndexes(entities, rows.indexes);
  addRelations(entities, rows);

  const sorted = [...namespaces.values()].sort(byName);
  for (const n of sorted) {
    n.entities.sort(byName);
    for (const e of n.entities) {
      e.uniques.sort(byName);
      e.indexes.sort(byName);
      e.relations.sort(byName);
    }
  }
  const source: SchemaModel['source'] = { kind: 'mysql', serverVersion: server.label };
  if (options.database) source.database = options.database;
  return { version: 2, source, namespaces: sorted };
}

function entityKind(tableType: string, createOptions: string | null): EntityKind | undefined {
  if (tableType === 'VIEW') return 'view';
  // MariaDB's SEQUENCE objects are not data tables; SYSTEM VIEW only exists in the system databases.
  if (tableType !== 'BASE TABLE' && tableType !== 'SYSTEM VERSIONED') return undefined;
  return /\bpartitioned\b/i.test(createOptions ?? '') ? 'partitioned_table' : 'table';
}

function addFields(entities: Map<string, Entity>, columns: ColumnRow[], jsonColumns: Set<string>, server: ServerInfo, options: BuildOptions): void {
  const positions = new Map<Entity, number[]>();
  for (const [schema, table, name, position, columnDefault, nullable, dataType, columnType, extra, comment] of columns) {
    const e = entities.get(keyOf(schema, table));
    if (!e) continue;
    const generated = /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.exec(extra)?.[1]?.toUpperCase();
    // A view has no defaults of its own (MariaDB reports a placeholder such as 0 for its columns).
    const hasDefault = !generated && e.kind !== 'view';
    const sql: SqlFacets = {
      default: hasDefault ? normaliseDefault(columnDefault, extra, dataType, server) : null,
      identity: null,
      generated: generated ? (generated === 'VIRTUAL' ? 'virtual' : 'stored') : null,
      arrayDims: 0,
    };
    if (/\bauto_increment\b/i.test(extra)) sql.autoIncrement = true;
    const shape = columnShape(dataType, columnType, jsonColumns.has(`${keyOf(schema, table)}\u0000${name}`), options.tinyint1AsBoolean);
    const f: Field = { name, nativeType: columnType, type: shape.type, nullable: nullable === 'YES', sql };
    if (shape.values) f.values = shape.values;
    if (shape.items) f.items = { type: shape.items.type, values: shape.items.values };
    if (comment) f.comment = comment;
    e.fields.push(f);
    let p = positions.get(e);
    if (!p) positions.set(e, (p = []));
    p.push(Number(position));
  }
  // information_schema gives no order; put each entity's fields in column order.
  for (const [e, p] of positions) {
    const order = p.map((pos, i) => [pos, i] as const).sort((a, b) => a[0] - b[0]);
    if (order.some(([, i], k) => i !== k)) e.fields = order.map(([, i]) => e.fields[i]!);
  }
}

/** Index parts by index, in key order; the primary key, unique keys and every index come from these rows. */
function addIndexes(entities: Map<string, Entity>, rows: IndexRow[]): void {
  const grouped = new Map<string, { e: Entity; rows: IndexRow[] }>();
  for (const row of rows) {
    const e = entities.get(keyOf(row[0], row[1]));
    if (!e) continue;
    const key = `${keyOf(row[0], row[1])}\u0000${row[2]}`;
    const g = grouped.get(key) ?? { e, rows: [] };
    g.rows.push(row);
    grouped.set(key, g);
  }
  for (const { e, rows: parts } of grouped.values()) {
    parts.sort((a, b) => Number(a[4]) - Number(b[4]));
    const [, , name, nonUnique, , , , indexType] = parts[0]!;
    const unique = Number(nonUnique) === 0;
    const primary = name === 'PRIMARY';
    const columns = parts.map((p) => p[5] ?? p[10] ?? '');
    const options: NonNullable<Index['options']> = {};
    for (const p of parts) {
      const column = p[5] ?? p[10] ?? '';
      // A SPATIAL index reports a nominal prefix (32) that is not one.
      if (p[6] !== null && indexType !== 'SPATIAL') options[`prefix:${column}`] = Number(p[6]);
      if (p[8] === 'D') options[`desc:${column}`] = true;
    }
    if (Number(parts[0]![9]) === 1) options.invisible = true;
    const index: Index = { name, columns, unique, primary, method: indexType };
    if (Object.keys(options).length) index.options = options;
    e.indexes.push(index);
    if (primary) e.primaryKey = { name, columns: [...columns] };
    // A key on whole columns only: a prefix or an expression does not make the columns unique.
    else if (unique && parts.every((p) => p[5] !== null && p[6] === null)) e.uniques.push({ name, columns: [...columns] });
  }
}

function addRelations(entities: Map<string, Entity>, rows: CatalogRows): void {
  const grouped = new Map<string, { e: Entity; rows: CatalogRows['foreignKeys'] }>();
  for (const row of rows.foreignKeys) {
    const e = entities.get(keyOf(row[0], row[1]));
    if (!e) continue;
    const key = `${keyOf(row[0], row[1])}\u0000${row[2]}`;
    const g = grouped.get(key) ?? { e, rows: [] };
    g.rows.push(row);
    grouped.set(key, g);
  }
  for (const { e, rows: parts } of grouped.values()) {
    parts.sort((a, b) => Number(a[4]) - Number(b[4]));
    const [, , name, , , refSchema, refTable, , updateRule, deleteRule] = parts[0]!;
    e.relations.push({
      name,
      columns: parts.map((p) => p[3]),
      target: { namespace: refSchema, entity: refTable, columns: parts.map((p) => p[7]) },
      onDelete: FK_RULES[deleteRule] ?? 'no_action',
      onUpdate: FK_RULES[updateRule] ?? 'no_action',
    });
  }
}
