import type { DatabaseScope } from './options';
import { SYSTEM_DATABASES } from './options';
import { atLeast, type ServerInfo } from './server';

/**
 * The catalog queries behind MySQL / MariaDB introspection: one per information_schema table that matters,
 * the same handful whatever the number of tables, run concurrently on the session's pooled connections.
 * Database filters are `?` parameters (mysql2 expands a list into `'a', 'b'`); only their presence changes the
 * text. Rows come back as arrays (rowsAsArray), in the column order of each SELECT below.
 *
 * Both servers build information_schema rows on demand, and the expensive part is opening each table's
 * definition; a condition on the database (and table) name alone is checked before that happens, so the
 * system databases and filtered-out ones cost nothing. Nothing is sorted by the server: the model is put in
 * order once, in JS.
 *
 * MariaDB and MySQL 8 differ here:
 * - CHECK constraints: MariaDB's CHECK_CONSTRAINTS (10.2.22+) names the table itself; MySQL's (8.0.16+) does
 *   not, so it is joined with TABLE_CONSTRAINTS. MariaDB's JSON is LONGTEXT plus a `json_valid` check named
 *   after the column, which is how JSON columns are recognised there.
 * - STATISTICS: MySQL 8.0.13+ has EXPRESSION (functional key parts, COLUMN_NAME is NULL) and IS_VISIBLE;
 *   MariaDB 10.6+ has IGNORED instead.
 * - COLUMNS.COLUMN_DEFAULT: MariaDB 10.2.7+ prints SQL (quoted literals, `'NULL'` for no default, functions);
 *   MySQL prints literals bare and flags expressions with DEFAULT_GENERATED in EXTRA (see columnTypes.ts).
 */
export type CatalogPart = 'schemata' | 'tables' | 'views' | 'columns' | 'indexes' | 'foreignKeyColumns' | 'foreignKeyRules' | 'checks';

export interface CatalogQuery {
  part: CatalogPart;
  sql: string;
  values: unknown[];
}

/** Rows of each part, as arrays in SELECT order (see the row types below). */
export type SchemataRow = [schema: string];
export type TableRow = [schema: string, name: string, type: string, rows: number | string | null, createOptions: string | null, comment: string | null];
export type ViewRow = [schema: string, name: string, updatable: string];
export type ColumnRow = [
  schema: string, table: string, name: string, position: number, columnDefault: string | null, nullable: string,
  dataType: string, columnType: string, extra: string, comment: string,
];
export type IndexRow = [
  schema: string, table: string, name: string, nonUnique: number, seq: number, column: string | null, subPart: number | null,
  indexType: string, collation: string | null, hidden: number, expression: string | null,
];
export type ForeignKeyColumnRow = [
  schema: string, table: string, name: string, column: string, position: number, refSchema: string, refTable: string, refColumn: string,
];
export type ForeignKeyRuleRow = [schema: string, table: string, name: string, updateRule: string, deleteRule: string];
export type CheckRow = [schema: string, table: string, name: string, clause: string];

export interface CatalogRows {
  schemata: SchemataRow[];
  tables: TableRow[];
  views: ViewRow[];
  columns: ColumnRow[];
  indexes: IndexRow[];
  foreignKeyColumns: ForeignKeyColumnRow[];
  foreignKeyRules: ForeignKeyRuleRow[];
  checks: CheckRow[];
}

/** `column` passes the scope: never a system database, and within the include / exclude lists. */
function scope(column: string, s: DatabaseScope, values: unknown[]): string {
  const parts = [`${column} NOT IN (?)`];
  values.push([...SYSTEM_DATABASES]);
  if (s.include) {
    parts.push(`${column} IN (?)`);
    values.push(s.include);
  }
  if (s.exclude.length) {
    parts.push(`${column} NOT IN (?)`);
    values.push(s.exclude);
  }
  return parts.join(' AND ');
}

function query(part: CatalogPart, build: (where: (column: string) => string) => string, s: DatabaseScope): CatalogQuery {
  const values: unknown[] = [];
  return { part, sql: build((column) => scope(column, s, values)), values };
}

function indexExtras(server: ServerInfo): string {
  if (server.flavor === 'mysql') {
    return atLeast(server, 8, 0, 13) ? `IS_VISIBLE = 'NO', EXPRESSION` : atLeast(server, 8, 0) ? `IS_VISIBLE = 'NO', NULL` : '0, NULL';
  }
  return atLeast(server, 10, 6) ? `IGNORED = 'YES', NULL` : '0, NULL';
}

/**
 * MariaDB reads its engine-independent statistics (mysql.index_stats …) for every table STATISTICS opens,
 * which triples the query's time; the catalog needs none of them. SET STATEMENT (10.1.2+) turns that off
 * for this one statement, leaving the session as it was.
 */
function indexPrefix(server: ServerInfo): string {
  return server.flavor === 'mariadb' && atLeast(server, 10, 1, 2) ? `\nSET STATEMENT use_stat_tables = 'NEVER' FOR` : '';
}

function checksQuery(server: ServerInfo, s: DatabaseScope): CatalogQuery | undefined {
  if (server.flavor === 'mariadb') {
    if (!atLeast(server, 10, 2, 22)) return undefined;
    return query('checks', (where) => `
SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS
WHERE ${where('CONSTRAINT_SCHEMA')}`, s);
  }
  if (!atLeast(server, 8, 0, 16)) return undefined;
  return query('checks', (where) => `
SELECT tc.TABLE_SCHEMA, tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.CHECK_CONSTRAINTS cc
  ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.CONSTRAINT_TYPE = 'CHECK' AND ${where('tc.TABLE_SCHEMA')} AND ${where('cc.CONSTRAINT_SCHEMA')}`, s);
}

/**
 * The catalog queries of one introspection that run at once, the biggest first: with a pool of fewer
 * connections than queries, the small ones take whichever connection frees up first. The views query
 * follows the tables query (see viewsQuery).
 */
export function catalogQueries(server: ServerInfo, s: DatabaseScope): CatalogQuery[] {
  const queries: (CatalogQuery | undefined)[] = [
    query('columns', (where) => `
SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, COLUMN_TYPE, EXTRA, COLUMN_COMMENT
FROM information_schema.COLUMNS
WHERE ${where('TABLE_SCHEMA')}`, s),
    query('indexes', (where) => `${indexPrefix(server)}
SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, INDEX_TYPE, COLLATION, ${indexExtras(server)}
FROM information_schema.STATISTICS
WHERE ${where('TABLE_SCHEMA')}`, s),
    query('tables', (where) => `
SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS, CREATE_OPTIONS, TABLE_COMMENT
FROM information_schema.TABLES
WHERE ${where('TABLE_SCHEMA')}`, s),
    // The columns of foreign keys live in KEY_COLUMN_USAGE, their rules in REFERENTIAL_CONSTRAINTS. Two
    // queries, joined in JS: joined in SQL, the server compares every row of one with every row of the other
    // (2,000 foreign keys: 0.5 s instead of 40 ms).
    query('foreignKeyColumns', (where) => `
SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
FROM information_schema.KEY_COLUMN_USAGE
WHERE REFERENCED_TABLE_NAME IS NOT NULL AND ${where('TABLE_SCHEMA')}`, s),
    query('foreignKeyRules', (where) => `
SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE
FROM information_schema.REFERENTIAL_CONSTRAINTS
WHERE ${where('CONSTRAINT_SCHEMA')}`, s),
    checksQuery(server, s),
    query('schemata', (where) => `
SELECT SCHEMA_NAME
FROM information_schema.SCHEMATA
WHERE ${where('SCHEMA_NAME')}`, s),
  ];
  return queries.filter((q): q is CatalogQuery => q !== undefined);
}

/**
 * Whether each view can be written through. Asked once the tables query has named the views, and only for
 * them: information_schema.VIEWS would otherwise open every table of the scope once more to find them.
 * With no views it is still one (empty) query, so the count of queries stays the same.
 */
export function viewsQuery(views: readonly (readonly [schema: string, name: string])[]): CatalogQuery {
  if (!views.length) return { part: 'views', sql: 'SELECT NULL, NULL, NULL FROM DUAL WHERE FALSE', values: [] };
  const schemas = [...new Set(views.map((v) => v[0]))];
  const names = [...new Set(views.map((v) => v[1]))];
  return {
    part: 'views',
    sql: `
SELECT TABLE_SCHEMA, TABLE_NAME, IS_UPDATABLE
FROM information_schema.VIEWS
WHERE TABLE_SCHEMA IN (?) AND TABLE_NAME IN (?)`,
    values: [schemas, names],
  };
}

/** Server facts, also the ping. */
export const SERVER_SQL = 'SELECT VERSION(), DATABASE()';

/** Stops whatever statement a connection is running, from another connection. */
export const KILL_QUERY_SQL = 'KILL QUERY ?';
