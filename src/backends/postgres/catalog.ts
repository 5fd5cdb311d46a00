/**
 * The catalog queries behind PostgreSQL introspection: seven queries per database whatever its size, run
 * concurrently on the session's pooled connections (see `catalogQueries`). Schema filters are bind
 * parameters ($1 include list or NULL, $2 exclude list); nothing is pasted into the SQL. Objects owned by
 * extensions are left out, as are partitions (their parent stands for them) and system schemas.
 *
 * Why they look the way they do (see bench/, `npm run bench`): with tens of thousands of columns, handing
 * the driver one row per column costs more in node-postgres (a JS object per row, a string per field) than
 * the server spends finding them. So the three big queries return ONE row holding a JSON document of
 * column-wise arrays (`{"name": [...], "num": [...]}`), parsed with a single JSON.parse. Names are resolved
 * once, in JS: constraints and indexes give attribute numbers and relation oids, which the columns document
 * maps to names, instead of each one looking them up in pg_attribute per row. What stays per row in SQL is
 * only what only the server can compute (deparsed defaults, predicates, index expressions, format_type),
 * and each of those only where it applies. The columns, the biggest job by far, are split between two
 * queries by relation oid parity, so that two server processes share it.
 */
const SCHEMA_FILTER = (alias: string) => `
  ${alias}.nspname !~ '^pg_' AND ${alias}.nspname <> 'information_schema'
  AND ($1::text[] IS NULL OR ${alias}.nspname = ANY($1::text[]))
  AND NOT (${alias}.nspname = ANY($2::text[]))`;

/**
 * Objects that are members of an extension. A 'e' dependency always references pg_extension, so the
 * reference index finds the few members directly instead of scanning all of pg_depend.
 */
const EXTENSION_MEMBERS = (classTable: string) => `
  (SELECT dep.objid FROM pg_depend dep
   WHERE dep.refclassid = 'pg_extension'::regclass AND dep.classid = '${classTable}'::regclass AND dep.deptype = 'e')`;

/**
 * What a column's or an argument's type is, per distinct pg_type in `oids` (a subquery), as column-wise arrays.
 * A true array type has an element type (typelem); a domain over an array is in category 'A' too but has
 * none: it is resolved as a domain. For a table's or a view's row type (or an array of one), the relation's
 * schema and name: such a value is a composite whose attributes are the relation's columns.
 */
const TYPE_INFO = (oids: string) => `
  (SELECT json_build_object('oid', array_agg(t.oid::int8), 'name', array_agg(t.typname::text), 'native', array_agg(format_type(t.oid, NULL)),
                            'is_array', array_agg(et.oid IS NOT NULL),
                            'elem', array_agg(et.oid::int8), 'elem_name', array_agg(et.typname::text),
                            'row_schema', array_agg(rn.nspname::text), 'row_name', array_agg(rc.relname::text))
   FROM pg_type t
   LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A' AND t.typelem <> 0
   LEFT JOIN pg_class rc ON rc.oid = COALESCE(et.typrelid, t.typrelid) AND rc.relkind IN ('r', 'p', 'f', 'v', 'm')
   LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
   WHERE t.oid IN (${oids}))`;

/** pg_relation_is_updatable's bits for UPDATE, INSERT and DELETE (1 << CMD_UPDATE | 1 << CMD_INSERT | 1 << CMD_DELETE). */
export const ALL_WRITES = 28;

/**
 * Relations (tables, partitioned, foreign, views, mat. views, composite types) and their columns, as one JSON
 * document: the share of them whose oid % $3 = $4. `used` also carries the targets of those relations'
 * foreign keys that are not in the model at all (another schema, say), flagged `in_scope = false`: their
 * names and column names describe the foreign key, nothing more. The server facts ride along, so they need
 * no round trip of their own.
 *
 * Views carry what PostgreSQL can write through them (`writes`, pg_relation_is_updatable without triggers);
 * of a view it writes through entirely, the columns it cannot write (computed ones) are listed in `readonly`.
 *
 * The columns are read in one pass (`agg`), which also collects each distinct (type, typmod) as one int8
 * key: format_type and the column types' pg_type rows are then looked up once per distinct type, not once
 * per column.
 */
export const COLUMNS_SQL = `
WITH rel AS MATERIALIZED (
  SELECT c.oid, n.nspname, c.relname, c.relkind, c.reltuples,
         (NOT c.relispartition AND ${SCHEMA_FILTER('n')} AND c.oid NOT IN ${EXTENSION_MEMBERS('pg_class')}) AS in_model
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c')
), used AS MATERIALIZED (
  SELECT oid, nspname, relname, relkind, in_model AS in_scope, reltuples,
         CASE WHEN relkind = 'v' THEN pg_relation_is_updatable(oid::regclass, false) END AS writes
  FROM rel WHERE in_model AND oid::int8 % $3 = $4
  UNION ALL
  -- Foreign key targets outside the model (the other share's relations come with the other share).
  SELECT oid, nspname, relname, relkind, false, reltuples, NULL FROM rel
  WHERE NOT in_model AND oid IN (SELECT con.confrelid FROM pg_constraint con
                                 WHERE con.contype = 'f' AND con.conparentid = 0
                                   AND con.conrelid IN (SELECT oid FROM rel WHERE in_model AND oid::int8 % $3 = $4))
), agg AS MATERIALIZED (
  SELECT json_build_object(
           -- Per column: relation, attnum + 2048 * notnull + 4096 * ndims (attnum < 1700 always), name, type.
           'rel', array_agg(a.attrelid::int8), 'packed', array_agg(a.attnum + CASE WHEN a.attnotnull THEN 2048 ELSE 0 END + 4096 * a.attndims),
           'name', array_agg(a.attname::text), 'typid', array_agg(a.atttypid::int8),
           -- Only for the few columns that have them: type modifiers, identity, generation.
           'typmod', array_agg(a.atttypmod) FILTER (WHERE a.atttypmod <> -1),
           'typmod_rel', array_agg(a.attrelid::int8) FILTER (WHERE a.atttypmod <> -1),
           'typmod_num', array_agg(a.attnum) FILTER (WHERE a.atttypmod <> -1),
           'identity', array_agg(a.attidentity::text) FILTER (WHERE a.attidentity <> ''),
           'identity_rel', array_agg(a.attrelid::int8) FILTER (WHERE a.attidentity <> ''),
           'identity_num', array_agg(a.attnum) FILTER (WHERE a.attidentity <> ''),
           'generated', array_agg(a.attgenerated::text) FILTER (WHERE a.attgenerated <> ''),
           'generated_rel', array_agg(a.attrelid::int8) FILTER (WHERE a.attgenerated <> ''),
           'generated_num', array_agg(a.attnum) FILTER (WHERE a.attgenerated <> ''),
           -- CASE, not AND: pg_column_is_updatable must run only for the columns of views written through.
           'readonly_rel', array_agg(a.attrelid::int8) FILTER (WHERE CASE WHEN used.writes & ${ALL_WRITES} = ${ALL_WRITES} THEN NOT pg_column_is_updatable(a.attrelid, a.attnum, false) ELSE false END),
           'readonly_num', array_agg(a.attnum) FILTER (WHERE CASE WHEN used.writes & ${ALL_WRITES} = ${ALL_WRITES} THEN NOT pg_column_is_updatable(a.attrelid, a.attnum, false) ELSE false END)) AS cols,
         -- typid * 2^32 + typmod + 1: typmod is -1 .. 2^31-1, so the key is unique and decodes back exactly.
         array_agg(DISTINCT a.atttypid::int8 * 4294967296 + a.atttypmod + 1) AS type_keys
  FROM used CROSS JOIN LATERAL (
    -- OFFSET 0 keeps this a per-relation index scan; otherwise the planner tends to hash all of pg_attribute.
    SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attndims, a.attidentity, a.attgenerated
    FROM pg_attribute a WHERE a.attrelid = used.oid AND a.attnum > 0 AND NOT a.attisdropped OFFSET 0) a
), type_mods AS (
  SELECT k / 4294967296 AS typid, (k % 4294967296 - 1)::int AS typmod FROM agg, unnest(agg.type_keys) k
)
SELECT json_build_object(
  'version', current_setting('server_version'),
  'database', current_database(),
  'rels', (SELECT json_build_object('oid', array_agg(oid::int8), 'schema', array_agg(nspname::text), 'name', array_agg(relname::text),
                                    'kind', array_agg(relkind::text), 'in_scope', array_agg(in_scope), 'writes', array_agg(writes),
                                    -- The planner's row estimate (-1: never analysed); shown in the tree, never fingerprinted.
                                    'rows', array_agg(reltuples::int8)) FROM used),
  'cols', (SELECT cols FROM agg),
  'natives', (SELECT json_build_object('typid', array_agg(typid), 'typmod', array_agg(typmod), 'text', array_agg(format_type(typid::oid, typmod)))
              FROM type_mods),
  'types', ${TYPE_INFO('SELECT typid::oid FROM type_mods')},
  -- Only an expression with column references (Var nodes) needs its relation to be deparsed; a plain
  -- default cannot have any, and deparsing without the relation (relid 0) skips opening it per call, about
  -- 2.5x cheaper. The text test can only err towards passing the relation, which is always correct.
  'defaults', (SELECT json_build_object('rel', array_agg(d.adrelid::int8), 'num', array_agg(d.adnum),
                                        'expr', array_agg(CASE WHEN d.adbin::text LIKE '%{VAR %' THEN pg_get_expr(d.adbin, d.adrelid) ELSE pg_get_expr(d.adbin, 0) END))
               FROM pg_attrdef d WHERE d.adrelid IN (SELECT oid FROM used WHERE in_scope)),
  -- Relation comments (num 0) and column comments, one index probe into pg_description per relation (OFFSET 0
  -- keeps it so). As \`objoid IN (SELECT … FROM used)\` the planner, which guesses that a CTE holds a few
  -- rows and trusts a new database's stale catalog statistics, scanned the CTE once per description:
  -- 3 of the 3.7 s this query took on 10,000 tables.
  'comments', (SELECT json_build_object('rel', array_agg(d.objoid::int8), 'num', array_agg(d.objsubid), 'text', array_agg(d.description))
               FROM used u CROSS JOIN LATERAL (
                 SELECT d.objoid, d.objsubid, d.description FROM pg_description d
                 WHERE d.objoid = u.oid AND d.classoid = 'pg_class'::regclass OFFSET 0) d
               WHERE u.in_scope)
)::text AS data`;

/**
 * Primary keys, unique constraints and foreign keys as one JSON document; column lists are attribute numbers
 * (`{1,2}`, in key order), named from the columns document. A table constraint lives in its table's schema,
 * so the filter is on the constraint's own namespace; constraints of relations that are not in the model
 * (partitions, extension tables) are dropped when the model is built.
 */
export const CONSTRAINTS_SQL = `
SELECT json_build_object(
  'rel', array_agg(con.conrelid::int8), 'name', array_agg(con.conname::text), 'type', array_agg(con.contype::text),
  'cols', array_agg(con.conkey::text), 'frel', array_agg(con.confrelid::int8), 'fcols', array_agg(con.confkey::text),
  'on_update', array_agg(con.confupdtype::text), 'on_delete', array_agg(con.confdeltype::text),
  -- CHECK constraints are deparsed by the server; there are few, and only they need it.
  'check', array_agg(CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid, true) END)
)::text AS data
FROM pg_constraint con
JOIN pg_namespace n ON n.oid = con.connamespace
WHERE con.contype IN ('p', 'u', 'f', 'c') AND con.conrelid <> 0 AND con.conparentid = 0 AND ${SCHEMA_FILTER('n')}`;

/**
 * Indexes as one JSON document: key columns as attribute numbers (`indkey`, the first `nkeys` of them; 0
 * marks an expression), named from the columns document; `flags` is unique + 2 * primary; the access method
 * as an oid into `methods`. The server deparses only what it must: partial-index predicates and expression
 * columns, skipping the indexes of partitions (attached ones are flagged; an index made directly on a
 * partition is deparsed for nothing and dropped when the model is built). An index lives in its table's
 * schema, so the filter is on the index's own namespace.
 */
export const INDEXES_SQL = `
WITH idx AS MATERIALIZED (
  SELECT i.indrelid, i.indexrelid, ic.relname, ic.relispartition, i.indisunique, i.indisprimary, ic.relam, i.indkey, i.indnkeyatts,
         i.indpred, i.indexprs IS NOT NULL AS has_exprs
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_namespace n ON n.oid = ic.relnamespace
  WHERE ${SCHEMA_FILTER('n')}
)
SELECT json_build_object(
  'idx', (SELECT json_build_object('rel', array_agg(indrelid::int8), 'oid', array_agg(indexrelid::int8), 'name', array_agg(relname::text),
                                   'flags', array_agg(indisunique::int + 2 * indisprimary::int), 'am', array_agg(relam::int8),
                                   'keys', array_agg(indkey::text), 'nkeys', array_agg(indnkeyatts)) FROM idx),
  'methods', (SELECT json_build_object('oid', array_agg(oid::int8), 'name', array_agg(amname::text)) FROM pg_am),
  'predicates', (SELECT json_build_object('oid', array_agg(indexrelid::int8), 'expr', array_agg(pg_get_expr(indpred, indrelid)))
                 FROM idx WHERE indpred IS NOT NULL AND NOT relispartition),
  'exprs', (SELECT json_build_object('oid', array_agg(d.indexrelid::int8), 'pos', array_agg(k.ord), 'expr', array_agg(pg_get_indexdef(d.indexrelid, k.ord::int, true)))
            FROM idx d CROSS JOIN LATERAL unnest(d.indkey::int2[]) WITH ORDINALITY k(num, ord)
            WHERE d.has_exprs AND NOT d.relispartition AND k.num = 0 AND k.ord <= d.indnkeyatts)
)::text AS data`;

/**
 * Enums, domains and standalone composite types from all schemas (a column in an included schema may use a
 * type from another one); `in_scope` says whether the type's own schema passes the filter. Built-in types are
 * recognised by name in the adapter, so they need no row here. Few rows, so plain rows.
 */
export const TYPES_SQL = `
SELECT t.oid::int8 AS oid, n.nspname AS schema, t.typname AS name, t.typtype::text AS typtype,
       format_type(t.typbasetype, t.typtypmod) AS base_native, t.typnotnull AS notnull, t.typdefault AS def,
       bt.typname AS base_name, bt.typtype::text AS base_typtype, bt.oid::int8 AS base_id,
       (bet.oid IS NOT NULL) AS base_is_array, bet.typname AS base_elem_name, bet.oid::int8 AS base_elem_id,
       d.description AS comment,
       CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS labels,
       (${SCHEMA_FILTER('n')}) AS in_scope
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class rc ON rc.oid = t.typrelid
LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_type bet ON bet.oid = bt.typelem AND bt.typcategory = 'A' AND bt.typelem <> 0
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass
WHERE n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_toast'
  AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND rc.relkind = 'c'))
  AND t.oid NOT IN ${EXTENSION_MEMBERS('pg_type')}`;

/**
 * User functions and procedures as one JSON document: one object per function (few, compared with columns),
 * and the types of their arguments and results (TYPE_INFO, with `native` as format_type spells them). `args` are all argument types when there are
 * OUT or TABLE parameters (proallargtypes), otherwise the input ones; `modes` is null when all are IN.
 * Left out: aggregates and window functions (prokind), extension members, and functions only the server
 * calls (trigger and handler functions, and anything taking or returning `internal` or `cstring`).
 */
export const FUNCTIONS_SQL = `
WITH fn AS MATERIALIZED (
  SELECT p.oid, n.nspname, p.proname, p.prokind, p.provolatile, p.proretset, p.prorettype,
         COALESCE(p.proallargtypes, p.proargtypes::oid[]) AS argtypes, p.proargmodes, p.proargnames, p.pronargdefaults
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE ${SCHEMA_FILTER('n')}
    AND p.prokind IN ('f', 'p')
    AND p.oid NOT IN ${EXTENSION_MEMBERS('pg_proc')}
    AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype, 'internal'::regtype, 'cstring'::regtype,
                             'language_handler'::regtype, 'fdw_handler'::regtype, 'index_am_handler'::regtype,
                             'tsm_handler'::regtype, 'table_am_handler'::regtype)
    AND NOT (p.proargtypes::oid[] && ARRAY['internal'::regtype::oid, 'cstring'::regtype::oid])
)
SELECT json_build_object(
  'fns', (SELECT json_agg(json_build_object('schema', fn.nspname, 'name', fn.proname, 'kind', fn.prokind, 'volatility', fn.provolatile,
                                            'set', fn.proretset, 'ret', fn.prorettype::int8, 'args', fn.argtypes::int8[],
                                            'modes', fn.proargmodes::text[], 'names', fn.proargnames, 'defaults', fn.pronargdefaults,
                                            'comment', d.description))
          FROM fn LEFT JOIN pg_description d ON d.objoid = fn.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0),
  'types', ${TYPE_INFO('SELECT unnest(argtypes || prorettype) FROM fn')}
)::text AS data`;

/**
 * What view column nullability is traced from (viewLineage.ts), as one JSON document: the rewrite rule
 * (`ev_action`, the stored query tree) of every view and materialized view in the model and of every view
 * those read from, wherever it lives (a recursive walk over the rules' dependencies); and, for every column
 * those rules reference (pg_depend records each one), its name and NOT NULL, with its relation's name.
 */
export const VIEWS_SQL = `
WITH RECURSIVE views AS (
  SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('v', 'm') AND ${SCHEMA_FILTER('n')} AND c.oid NOT IN ${EXTENSION_MEMBERS('pg_class')}
  UNION
  SELECT dep.refobjid FROM views v
  JOIN pg_rewrite r ON r.ev_class = v.oid AND r.rulename = '_RETURN'
  JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = r.oid AND dep.refclassid = 'pg_class'::regclass
  JOIN pg_class rc ON rc.oid = dep.refobjid AND rc.relkind IN ('v', 'm')
), rules AS MATERIALIZED (
  SELECT r.oid, r.ev_class, r.ev_action FROM pg_rewrite r WHERE r.ev_class IN (SELECT oid FROM views) AND r.rulename = '_RETURN'
), cols AS MATERIALIZED (
  SELECT DISTINCT dep.refobjid AS rel, dep.refobjsubid AS num FROM pg_depend dep
  WHERE dep.classid = 'pg_rewrite'::regclass AND dep.objid IN (SELECT oid FROM rules)
    AND dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0
)
SELECT json_build_object(
  'views', (SELECT json_build_object('oid', array_agg(ev_class::int8), 'action', array_agg(ev_action::text)) FROM rules),
  'cols', (SELECT json_build_object('rel', array_agg(a.attrelid::int8), 'num', array_agg(a.attnum), 'name', array_agg(a.attname::text), 'notnull', array_agg(a.attnotnull))
           FROM cols JOIN pg_attribute a ON a.attrelid = cols.rel AND a.attnum = cols.num AND NOT a.attisdropped),
  'rels', (SELECT json_build_object('oid', array_agg(c.oid::int8), 'schema', array_agg(n.nspname::text), 'name', array_agg(c.relname::text))
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid IN (SELECT rel FROM cols))
)::text AS data`;

/** Server facts, also the ping. */
export const SERVER_SQL = `SELECT current_setting('server_version') AS version, current_database() AS database`;

/** Which document a catalog query returns. */
export type CatalogPart = 'columns' | 'constraints' | 'indexes' | 'types' | 'functions' | 'views';
export interface CatalogQuery {
  part: CatalogPart;
  text: string;
  values: unknown[];
}

/** How many queries share the columns (by relation oid parity): a fixed number, whatever the size. */
export const COLUMN_QUERIES = 2;

/**
 * The catalog queries of one introspection, heaviest first: the pool's connections (two to four, see `poolSize`)
 * start the first ones at once and the small types and functions queries take the first connections that free up.
 * `indexes: false` leaves the indexes query out (a model only for generating code: `forGeneration`).
 */
export function catalogQueries(include: string[] | null, exclude: string[], opts: { indexes?: boolean } = {}): CatalogQuery[] {
  const filter = [include, exclude];
  return [
    ...Array.from({ length: COLUMN_QUERIES }, (_, i): CatalogQuery => ({ part: 'columns', text: COLUMNS_SQL, values: [...filter, COLUMN_QUERIES, i] })),
    ...(opts.indexes === false ? [] : [{ part: 'indexes', text: INDEXES_SQL, values: filter } satisfies CatalogQuery]),
    { part: 'constraints', text: CONSTRAINTS_SQL, values: filter },
    { part: 'types', text: TYPES_SQL, values: filter },
    { part: 'functions', text: FUNCTIONS_SQL, values: filter },
    { part: 'views', text: VIEWS_SQL, values: filter },
  ];
}
