import type { Entity, Namespace, RlsPolicy, RowSecurity, SchemaModel, ValueShape } from '../../core/model';
import { viewTargetOrigins } from './viewTree';

/**
 * What PostgREST adds on top of the PostgreSQL catalog, read in ONE more query over the exposed schemas ($1):
 * row-level security (the advisor's facts), where views' columns come from (view relationships), the writes
 * views take through INSTEAD OF triggers or rules, and which of the schemas exist (an empty one is still a
 * key of `Database`). Names and expressions come back as data, never pasted into SQL.
 */
export const POSTGREST_FACTS_SQL = `
WITH tbl AS (
  SELECT c.oid, n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY($1::text[])
), vw AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind, r.oid AS rule, r.ev_action
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_rewrite r ON r.ev_class = c.oid AND r.rulename = '_RETURN'
  WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1::text[])
)
SELECT json_build_object(
  'schemas', (SELECT json_agg(nspname::text) FROM pg_namespace WHERE nspname = ANY($1::text[])),
  -- Enums of the other schemas, which columns and arguments may use: their labels are spelled out.
  'enums', (SELECT json_agg(json_build_object('schema', n.nspname, 'name', t.typname,
                                              'labels', ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)))
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype = 'e' AND NOT (n.nspname = ANY($1::text[]))),
  'tables', (SELECT json_agg(json_build_object(
      'schema', tbl.nspname, 'name', tbl.relname, 'enabled', tbl.relrowsecurity, 'forced', tbl.relforcerowsecurity,
      'policies', (SELECT json_agg(json_build_object(
          'name', p.polname, 'cmd', p.polcmd, 'permissive', p.polpermissive,
          'roles', ARRAY(SELECT 'public' WHERE 0::oid = ANY(p.polroles)
                         UNION ALL SELECT r.rolname::text FROM pg_roles r WHERE r.oid = ANY(p.polroles)),
          'using', pg_get_expr(p.polqual, p.polrelid), 'check', pg_get_expr(p.polwithcheck, p.polrelid)) ORDER BY p.polname)
        FROM pg_policy p WHERE p.polrelid = tbl.oid),
      'grants', (SELECT json_object_agg(r.rolname, ARRAY(
          SELECT w FROM unnest(ARRAY['select', 'insert', 'update', 'delete']) w WHERE has_table_privilege(r.oid, tbl.oid, w)))
        FROM pg_roles r WHERE r.rolname IN ('anon', 'authenticated'))))
    FROM tbl),
  'views', (SELECT json_agg(json_build_object(
      'oid', vw.oid::int8, 'schema', vw.nspname, 'name', vw.relname, 'tree', vw.ev_action::text,
      'auto', CASE WHEN vw.relkind = 'v' THEN pg_relation_is_updatable(vw.oid, false) END,
      'any', CASE WHEN vw.relkind = 'v' THEN pg_relation_is_updatable(vw.oid, true) END,
      'columns', (SELECT json_object_agg(a.attnum, a.attname) FROM pg_attribute a WHERE a.attrelid = vw.oid AND a.attnum > 0 AND NOT a.attisdropped)))
    FROM vw),
  -- The columns views refer to (a superset of the ones they show as is), to name their origins.
  'refs', (SELECT json_agg(json_build_object('oid', d.refobjid::int8, 'num', d.refobjsubid, 'schema', rn.nspname,
                                             'rel', rc.relname, 'kind', rc.relkind, 'column', ra.attname))
    FROM (SELECT DISTINCT d.refobjid, d.refobjsubid FROM pg_depend d
          WHERE d.classid = 'pg_rewrite'::regclass AND d.objid IN (SELECT rule FROM vw)
            AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0) d
    JOIN pg_class rc ON rc.oid = d.refobjid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
    JOIN pg_attribute ra ON ra.attrelid = d.refobjid AND ra.attnum = d.refobjsubid)
)::text AS data`;

interface FactsDoc {
  schemas: string[] | null;
  enums: { schema: string; name: string; labels: string[] }[] | null;
  tables: { schema: string; name: string; enabled: boolean; forced: boolean; policies: PolicyRow[] | null; grants: Record<string, string[]> | null }[] | null;
  views: { oid: number; schema: string; name: string; tree: string; auto: number | null; any: number | null; columns: Record<string, string> | null }[] | null;
  refs: RefRow[] | null;
}
/** A column a view refers to: its relation (oid, kind, name) and attribute number. */
interface RefRow {
  oid: number;
  num: number;
  schema: string;
  rel: string;
  kind: string;
  column: string;
}
interface PolicyRow {
  name: string;
  cmd: string;
  permissive: boolean;
  roles: string[];
  using: string | null;
  check: string | null;
}

const COMMANDS: Record<string, RlsPolicy['command']> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };
/** pg_relation_is_updatable's bits (1 << CMD_UPDATE, CMD_INSERT, CMD_DELETE). */
const WRITE_BITS = [['insert', 8], ['update', 4], ['delete', 16]] as const;
const ALL_WRITES = 28;

export function parseFacts(rows: { data: string }[]): FactsDoc {
  return JSON.parse(rows[0]!.data) as FactsDoc;
}

const key = (schema: string, name: string) => `${schema}\u0000${name}`;

/** Puts the facts on the model's entities (the model was introspected from the same schemas). */
export function applyFacts(model: SchemaModel, facts: FactsDoc): void {
  const entities = new Map<string, Entity>();
  for (const ns of model.namespaces) for (const e of ns.entities) entities.set(key(ns.name, e.name), e);

  for (const t of facts.tables ?? []) {
    const e = entities.get(key(t.schema, t.name));
    if (!e) continue;
    const rls: RowSecurity = {
      enabled: t.enabled,
      forced: t.forced,
      policies: (t.policies ?? []).map((p) => ({ name: p.name, command: COMMANDS[p.cmd] ?? 'all', permissive: p.permissive, roles: [...p.roles].sort(), using: p.using, withCheck: p.check })),
    };
    if (t.grants) rls.grants = Object.fromEntries(Object.entries(t.grants).sort(([a], [b]) => (a < b ? -1 : 1))) as RowSecurity['grants'];
    e.rls = rls;
  }

  const views = new Map((facts.views ?? []).map((v) => [v.oid, { ...v, origins: new Map(viewTargetOrigins(v.tree).map((o) => [o.resno, o])) }]));
  const refs = new Map((facts.refs ?? []).map((r) => [`${r.oid}.${r.num}`, r]));
  for (const v of views.values()) {
    const e = entities.get(key(v.schema, v.name));
    if (!e) continue;
    const any = v.any ?? 0;
    if ((v.auto ?? 0) !== ALL_WRITES && any) {
      const writes = WRITE_BITS.filter(([, bit]) => (any & bit) === bit).map(([w]) => w);
      if (writes.length) e.sql = { ...e.sql, insteadOf: writes };
    }
    for (const [resno, name] of Object.entries(v.columns ?? {})) {
      const origin = baseColumn(views, refs, v.oid, Number(resno));
      const f = e.fields.find((x) => x.name === name);
      if (origin && f) f.sql = { ...(f.sql ?? { default: null, identity: null, generated: null, arrayDims: 0 }), origin };
    }
  }

  spellOutForeignEnums(model, facts.enums ?? []);

  const present = new Set(model.namespaces.map((n) => n.name));
  for (const schema of facts.schemas ?? []) {
    if (!present.has(schema)) model.namespaces.push(emptyNamespace(schema));
  }
  model.namespaces.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The table column a view's column shows as is, followed through views of the exposed schemas (PostgREST
 * follows no others); undefined for computed columns and columns of views it cannot see into.
 */
function baseColumn(
  views: Map<number, { origins: Map<number, { table: number; column: number }> }>,
  refs: Map<string, RefRow>,
  view: number,
  resno: number,
): { namespace: string; entity: string; column: string } | undefined {
  const seen = new Set<number>();
  let at = views.get(view)?.origins.get(resno);
  while (at && at.table !== 0) {
    const inner = views.get(at.table);
    if (!inner) {
      const ref = refs.get(`${at.table}.${at.column}`);
      return ref && (ref.kind === 'r' || ref.kind === 'p') ? { namespace: ref.schema, entity: ref.rel, column: ref.column } : undefined;
    }
    if (seen.has(at.table)) return undefined;
    seen.add(at.table);
    at = inner.origins.get(at.column);
  }
  return undefined;
}

/**
 * A value of an enum from a schema that is not in the model is typed by its labels (`values`), as the model
 * has no declaration to refer to: columns, function arguments and results, composite attributes.
 */
function spellOutForeignEnums(model: SchemaModel, enums: { schema: string; name: string; labels: string[] }[]): void {
  const labels = new Map(enums.map((e) => [key(e.schema, e.name), e.labels]));
  const visit = (f: ValueShape | undefined) => {
    if (!f) return;
    if (f.type === 'enum' && f.enumRef && !f.values) {
      const found = labels.get(key(f.enumRef.namespace, f.enumRef.name));
      if (found) f.values = [...found];
    }
    f.fields?.forEach(visit);
    if (f.items) visit(f.items);
  };
  for (const ns of model.namespaces) {
    ns.entities.forEach((e) => e.fields.forEach(visit));
    ns.composites.forEach((c) => c.fields.forEach(visit));
    for (const r of ns.functions) {
      r.args.forEach(visit);
      visit(r.returns.type);
      r.returns.fields?.forEach(visit);
    }
  }
}

function emptyNamespace(name: string): Namespace {
  return { name, entities: [], enums: [], domains: [], composites: [], functions: [] };
}
