import type { CheckConstraint, Entity, EntityKind, Field, Index, Namespace, Relation, SchemaModel, SqlFacets } from '../../core/model';
import type { CatalogRows, ColumnRow, ForeignKeyColumnRow, IndexRow } from './catalog';
import { backtick, columnShape, normaliseDefault, unwrapParens } from './columnTypes';
import type { ServerInfo } from './server';
import { inRanges, runSteps, type Steps } from '../../core/slices';

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

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Entities by database and name (case-sensitive: with lower_case_table_names = 0, `Users` and `users` are two
 * tables), with what only the model builder needs on the side. information_schema hands rows out table by
 * table, so the last lookup is kept: most rows find their entity without touching a map.
 */
interface EntityIn {
  e: Entity;
  /** Column positions, parallel to e.fields, to put them in column order. */
  positions: number[];
  /** MariaDB's JSON columns (named by their json_valid check). */
  json?: Set<string>;
  indexParts?: Map<string, IndexRow[]>;
  fkParts?: Map<string, ForeignKeyColumnRow[]>;
  fkRules?: Map<string, [update: string, remove: string]>;
}

class Entities {
  private readonly bySchema = new Map<string, Map<string, EntityIn>>();
  private lastSchema: string | undefined;
  private lastTable: string | undefined;
  private last: EntityIn | undefined;

  add(schema: string, name: string, e: Entity): void {
    let m = this.bySchema.get(schema);
    if (!m) this.bySchema.set(schema, (m = new Map()));
    m.set(name, { e, positions: [] });
  }

  get(schema: string, table: string): EntityIn | undefined {
    if (table === this.lastTable && schema === this.lastSchema) return this.last;
    this.lastSchema = schema;
    this.lastTable = table;
    return (this.last = this.bySchema.get(schema)?.get(table));
  }

  *all(): Iterable<EntityIn> {
    for (const m of this.bySchema.values()) yield* m.values();
  }
}

/**
 * Builds the model from the catalog rows (catalog.ts). A namespace per database in scope (also an empty
 * one); tables, partitioned tables (listed once: information_schema.TABLES has no rows for partitions) and
 * views; fields in column order; keys, indexes, foreign keys and CHECK constraints by name. Written for tens
 * of thousands of columns: nothing per column builds a string key or runs a regular expression it can skip.
 */
export function buildModel(server: ServerInfo, rows: CatalogRows, options: BuildOptions): SchemaModel {
  return runSteps(buildModelSteps(server, rows, options));
}

/**
 * `buildModel` as steps, for the extension host to run in slices (`IntrospectOptions.sliced`): the columns
 * `stepSize` at a time, each other pass a step of its own. By default the columns are one step, which the CLI
 * runs fastest (each new call of a range's loop starts unoptimised).
 */
export function* buildModelSteps(server: ServerInfo, rows: CatalogRows, options: BuildOptions, stepSize = Infinity): Steps<SchemaModel> {
  const namespaces = new Map<string, Namespace>();
  const ns = (name: string): Namespace => {
    let n = namespaces.get(name);
    if (!n) namespaces.set(name, (n = { name, entities: [], enums: [], domains: [], composites: [], functions: [] }));
    return n;
  };
  for (const [schema] of rows.schemata) ns(schema);

  const entities = new Entities();
  for (const [schema, name, type, tableRows, createOptions, comment] of rows.tables) {
    const kind = entityKind(type, createOptions);
    if (!kind) continue;
    const e: Entity = { name, kind, fields: [], primaryKey: null, uniques: [], indexes: [], relations: [] };
    // A view's TABLE_COMMENT is the word VIEW (views cannot have comments).
    if (comment && kind !== 'view') e.comment = comment;
    if (tableRows !== null && kind !== 'view') e.stats = { rows: Number(tableRows) };
    entities.add(schema, name, e);
    ns(schema).entities.push(e);
  }
  for (const [schema, name, updatable] of rows.views) {
    const x = entities.get(schema, name);
    if (x) x.e.sql = { updatable: updatable === 'YES' };
  }
  addChecks(entities, rows, server);
  yield;
  yield* inRanges(rows.columns.length, stepSize, (from, to) => addFields(entities, rows.columns, from, to, server, options));
  inColumnOrder(entities);
  yield;
  addIndexes(entities, rows.indexes);
  yield;
  addRelations(entities, rows);
  yield;

  const sorted = [...namespaces.values()].sort(byName);
  for (const n of sorted) {
    n.entities.sort(byName);
    for (const e of n.entities) {
      if (e.uniques.length > 1) e.uniques.sort(byName);
      if (e.indexes.length > 1) e.indexes.sort(byName);
      if (e.relations.length > 1) e.relations.sort(byName);
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
  return createOptions && /\bpartitioned\b/i.test(createOptions) ? 'partitioned_table' : 'table';
}

/** CHECK constraints, except MariaDB's `json_valid(col)` named after its column: that one makes the column JSON. */
function addChecks(entities: Entities, rows: CatalogRows, server: ServerInfo): void {
  for (const [schema, table, name, clause] of rows.checks) {
    const x = entities.get(schema, table);
    if (!x) continue;
    if (server.flavor === 'mariadb' && clause.trim().toLowerCase() === `json_valid(${backtick(name)})`.toLowerCase()) {
      (x.json ??= new Set()).add(name);
      continue;
    }
    const check: CheckConstraint = { name, expression: unwrapParens(clause) };
    const checks = x.e.sql?.checks;
    if (checks) checks.push(check);
    else x.e.sql = { ...x.e.sql, checks: [check] };
  }
  for (const x of entities.all()) if (x.e.sql?.checks && x.e.sql.checks.length > 1) x.e.sql.checks.sort(byName);
}

/** Columns [from, to) onto their entities, in the order the rows came. */
function addFields(entities: Entities, columns: ColumnRow[], from: number, to: number, server: ServerInfo, options: BuildOptions): void {
  for (let i = from; i < to; i++) {
    const [schema, table, name, position, columnDefault, nullable, dataType, columnType, extra, comment] = columns[i]!;
    const x = entities.get(schema, table);
    if (!x) continue;
    const generated = extra ? /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.exec(extra)?.[1]?.toUpperCase() : undefined;
    // A view has no defaults of its own (MariaDB reports a placeholder such as 0 for its columns).
    const hasDefault = columnDefault !== null && !generated && x.e.kind !== 'view';
    const def = hasDefault ? normaliseDefault(columnDefault, extra, dataType, server) : null;
    const autoIncrement = !!extra && /\bauto_increment\b/i.test(extra);
    const shape = columnShape(dataType, columnType, x.json?.has(name) ?? false, options.tinyint1AsBoolean);
    const f: Field = { name, nativeType: columnType, type: shape.type, nullable: nullable === 'YES' };
    // Only columns with a facet carry `sql` (sqlOf() gives the rest the defaults): a big schema's model is
    // mostly plain columns, and each object less is less for the garbage collector.
    if (def !== null || generated || autoIncrement) {
      const sql: SqlFacets = { default: def, identity: null, generated: generated ? (generated === 'VIRTUAL' ? 'virtual' : 'stored') : null, arrayDims: 0 };
      if (autoIncrement) sql.autoIncrement = true;
      f.sql = sql;
    }
    if (shape.values) f.values = shape.values;
    if (shape.items) f.items = { type: shape.items.type, values: shape.items.values };
    if (comment) f.comment = comment;
    x.e.fields.push(f);
    x.positions.push(Number(position));
  }
}

/** information_schema promises no order; puts fields in column order where the server did not. */
function inColumnOrder(entities: Entities): void {
  for (const { e, positions } of entities.all()) {
    let ordered = true;
    for (let i = 1; i < positions.length && ordered; i++) ordered = positions[i - 1]! < positions[i]!;
    if (!ordered) e.fields = positions.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => e.fields[i]!);
  }
}

/** Index parts by index, in key order; the primary key, unique keys and every index come from these rows. */
function addIndexes(entities: Entities, rows: IndexRow[]): void {
  for (const row of rows) {
    const x = entities.get(row[0], row[1]);
    if (!x) continue;
    const parts = (x.indexParts ??= new Map());
    const list = parts.get(row[2]);
    if (list) list.push(row);
    else parts.set(row[2], [row]);
  }
  for (const { e, indexParts } of entities.all()) {
    for (const parts of indexParts?.values() ?? []) {
      if (parts.length > 1) parts.sort((a, b) => Number(a[4]) - Number(b[4]));
      const [, , name, nonUnique, , , , indexType, , hidden] = parts[0]!;
      const primary = name === 'PRIMARY';
      const unique = Number(nonUnique) === 0;
      const columns = parts.map((p) => p[5] ?? p[10] ?? '');
      const options: NonNullable<Index['options']> = {};
      let hasOptions = false;
      for (const p of parts) {
        // A SPATIAL index reports a nominal prefix (32) that is not one.
        if (p[6] !== null && indexType !== 'SPATIAL') {
          options[`prefix:${p[5] ?? p[10] ?? ''}`] = Number(p[6]);
          hasOptions = true;
        }
        if (p[8] === 'D') {
          options[`desc:${p[5] ?? p[10] ?? ''}`] = true;
          hasOptions = true;
        }
      }
      if (Number(hidden) === 1) {
        options.invisible = true;
        hasOptions = true;
      }
      const index: Index = { name, columns, unique, primary, method: indexType };
      if (hasOptions) index.options = options;
      e.indexes.push(index);
      if (primary) e.primaryKey = { name, columns: [...columns] };
      // A key on whole columns only: a prefix or an expression does not make the columns unique.
      else if (unique && parts.every((p) => p[5] !== null && p[6] === null)) e.uniques.push({ name, columns: [...columns] });
    }
  }
}

function addRelations(entities: Entities, rows: CatalogRows): void {
  for (const [schema, table, name, update, remove] of rows.foreignKeyRules) {
    const x = entities.get(schema, table);
    if (x) (x.fkRules ??= new Map()).set(name, [update, remove]);
  }
  for (const row of rows.foreignKeyColumns) {
    const x = entities.get(row[0], row[1]);
    if (!x) continue;
    const parts = (x.fkParts ??= new Map());
    const list = parts.get(row[2]);
    if (list) list.push(row);
    else parts.set(row[2], [row]);
  }
  for (const { e, fkParts, fkRules } of entities.all()) {
    for (const [name, parts] of fkParts ?? []) {
      if (parts.length > 1) parts.sort((a, b) => Number(a[4]) - Number(b[4]));
      const [, , , , , refSchema, refTable] = parts[0]!;
      const [update, remove] = fkRules?.get(name) ?? ['NO ACTION', 'NO ACTION'];
      e.relations.push({
        name,
        columns: parts.map((p) => p[3]),
        target: { namespace: refSchema, entity: refTable, columns: parts.map((p) => p[7]) },
        onDelete: FK_RULES[remove] ?? 'no_action',
        onUpdate: FK_RULES[update] ?? 'no_action',
      });
    }
  }
}
