/**
 * The catalog queries behind PostgreSQL introspection: four queries per database whatever its size, run
 * concurrently. Schema filters are bind parameters ($1 include list or NULL, $2 exclude list); nothing is
 * pasted into the SQL. Objects owned by extensions are left out, as are partitions (their parent stands for
 * them) and system schemas.
 */
const SCHEMA_FILTER = (alias: string) => `
  ${alias}.nspname !~ '^pg_' AND ${alias}.nspname <> 'information_schema'
  AND ($1::text[] IS NULL OR ${alias}.nspname = ANY($1::text[]))
  AND NOT (${alias}.nspname = ANY($2::text[]))`;

const NOT_EXTENSION = (classTable: string, oid: string) => `
  NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '${classTable}'::regclass AND dep.objid = ${oid} AND dep.deptype = 'e')`;

/** One row per column of every relation (tables, partitioned, foreign, views, mat. views, composite types). */
export const COLUMNS_SQL = `
SELECT c.oid::int8 AS relid, n.nspname AS schema, c.relname AS rel, c.relkind::text AS relkind,
       rd.description AS rel_comment,
       a.attnum AS num, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS native,
       a.attnotnull AS notnull, a.attndims AS ndims, pg_get_expr(ad.adbin, ad.adrelid) AS def,
       a.attidentity::text AS identity, a.attgenerated::text AS generated, cd.description AS col_comment,
       a.atttypid::int8 AS typid, t.typname AS typname, t.typtype::text AS typtype,
       (t.typcategory = 'A') AS is_array, et.oid::int8 AS elemid, et.typname AS elemname
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
LEFT JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_description rd ON rd.objoid = c.oid AND rd.classoid = 'pg_class'::regclass AND rd.objsubid = 0 AND a.attnum = 1
LEFT JOIN pg_description cd ON cd.objoid = c.oid AND cd.classoid = 'pg_class'::regclass AND cd.objsubid = a.attnum
WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c') AND NOT c.relispartition
  AND ${SCHEMA_FILTER('n')}
  AND ${NOT_EXTENSION('pg_class', 'c.oid')}`;

/** Primary keys, unique constraints and foreign keys, with column names resolved in the server. */
export const CONSTRAINTS_SQL = `
SELECT con.conrelid::int8 AS relid, con.conname AS name, con.contype::text AS type,
       ARRAY(SELECT att.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.num ORDER BY k.ord) AS cols,
       fn.nspname AS fschema, fc.relname AS frel,
       ARRAY(SELECT att.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute att ON att.attrelid = con.confrelid AND att.attnum = k.num ORDER BY k.ord) AS fcols,
       con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'f') AND con.conparentid = 0 AND NOT c.relispartition
  AND ${SCHEMA_FILTER('n')}`;

/** Indexes with their columns (expression columns as SQL text) and partial-index predicates. */
export const INDEXES_SQL = `
SELECT i.indrelid::int8 AS relid, ic.relname AS name, i.indisunique AS is_unique, i.indisprimary AS is_primary,
       am.amname AS method, pg_get_expr(i.indpred, i.indrelid) AS predicate,
       ARRAY(SELECT CASE WHEN k.num = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) ELSE att.attname::text END
             FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord)
             LEFT JOIN pg_attribute att ON att.attrelid = i.indrelid AND att.attnum = k.num
             WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS cols
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE NOT c.relispartition AND ${SCHEMA_FILTER('n')}`;

/**
 * Enums, domains and standalone composite types from all schemas (a column in an included schema may use a
 * type from another one); `in_scope` says whether the type's own schema passes the filter. Built-in types are
 * recognised by name in the adapter, so they need no row here.
 */
export const TYPES_SQL = `
SELECT t.oid::int8 AS oid, n.nspname AS schema, t.typname AS name, t.typtype::text AS typtype,
       format_type(t.typbasetype, t.typtypmod) AS base_native, t.typnotnull AS notnull, t.typdefault AS def,
       bt.typname AS base_name, bt.typtype::text AS base_typtype, bt.oid::int8 AS base_id,
       (bt.typcategory = 'A') AS base_is_array, bet.typname AS base_elem_name, bet.oid::int8 AS base_elem_id,
       d.description AS comment,
       CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS labels,
       (${SCHEMA_FILTER('n')}) AS in_scope
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class rc ON rc.oid = t.typrelid
LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_type bet ON bet.oid = bt.typelem AND bt.typcategory = 'A'
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass
WHERE n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_toast'
  AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND rc.relkind = 'c'))
  AND ${NOT_EXTENSION('pg_type', 't.oid')}`;

/** Server facts, also the ping. */
export const SERVER_SQL = `SELECT current_setting('server_version') AS version, current_database() AS database`;
