import { escapeIdentifier } from 'pg';
import type { EntityRef, PreviewPage, Snippets } from '../../core/backend';
import { toPreviewCell } from '../../core/preview';

/**
 * What the editor shows of one entity beyond the model: its first rows (Preview Data), its DDL (Show DDL)
 * and text to copy. Identifiers are quoted with pg's escapeIdentifier; values are parameters.
 */
type Query = <R extends Record<string, unknown>>(text: string, values?: unknown[], signal?: AbortSignal) => Promise<R[]>;
type QueryWithFields = (text: string, values: unknown[], signal?: AbortSignal) => Promise<{ fields: string[]; rows: unknown[][] }>;

export const relationName = (ref: EntityRef): string => `${escapeIdentifier(ref.namespace)}.${escapeIdentifier(ref.entity)}`;

export const pgSnippets: Snippets = {
  name: (ref, field) => (field === undefined ? relationName(ref) : escapeIdentifier(field)),
  select: (ref, fields, limit) => `SELECT ${fields.length ? fields.map(escapeIdentifier).join(', ') : '*'}\nFROM ${relationName(ref)}\nLIMIT ${Math.max(1, Math.floor(limit))};`,
};

/** One page, fetched with one row more than asked, to know whether another page follows. */
export async function previewPage(query: QueryWithFields, ref: EntityRef, page: { limit: number; offset: number }, signal?: AbortSignal): Promise<PreviewPage> {
  const limit = Math.max(1, Math.min(10_000, Math.floor(page.limit)));
  const offset = Math.max(0, Math.floor(page.offset));
  const { fields, rows } = await query(`SELECT * FROM ${relationName(ref)} LIMIT $1 OFFSET $2`, [limit + 1, offset], signal);
  return {
    columns: fields,
    rows: rows.slice(0, limit).map((r) => r.map((v) => toPreviewCell(v))),
    offset,
    hasMore: rows.length > limit,
  };
}

/**
 * CREATE statements for a table, view or materialized view, from the server's own deparsers (format_type,
 * pg_get_expr, pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef): what the server would accept back.
 */
export async function entityDdl(query: Query, ref: EntityRef, signal?: AbortSignal): Promise<string> {
  const [rel] = await query<{ oid: number; relkind: string; view: string | null; comment: string | null }>(
    `SELECT c.oid::int AS oid, c.relkind::text AS relkind,
            CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS view,
            obj_description(c.oid, 'pg_class') AS comment
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = $2`,
    [ref.namespace, ref.entity],
    signal,
  );
  if (!rel) return `-- ${relationName(ref)} no longer exists.`;
  const name = relationName(ref);
  const out: string[] = [];
  if (rel.relkind === 'v' || rel.relkind === 'm') {
    out.push(`CREATE ${rel.relkind === 'm' ? 'MATERIALIZED VIEW' : 'VIEW'} ${name} AS\n${(rel.view ?? '').trimEnd().replace(/;?$/, ';')}`);
  } else {
    const [cols, cons, idx] = await Promise.all([
      query<{ name: string; type: string; notnull: boolean; def: string | null; identity: string; generated: string }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
                pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS identity, a.attgenerated::text AS generated
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [rel.oid],
        signal,
      ),
      query<{ name: string; def: string }>(`SELECT conname AS name, pg_get_constraintdef(oid, true) AS def FROM pg_constraint WHERE conrelid = $1 ORDER BY contype <> 'p', conname`, [rel.oid], signal),
      query<{ def: string }>(`SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i WHERE i.indrelid = $1 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1`, [rel.oid], signal),
    ]);
    const lines = cols.map((c) => {
      let line = `  ${escapeIdentifier(c.name)} ${c.type}`;
      if (c.identity) line += ` GENERATED ${c.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
      else if (c.generated) line += ` GENERATED ALWAYS AS (${c.def}) STORED`;
      else if (c.def !== null) line += ` DEFAULT ${c.def}`;
      if (c.notnull) line += ' NOT NULL';
      return line;
    });
    lines.push(...cons.map((c) => `  CONSTRAINT ${escapeIdentifier(c.name)} ${c.def}`));
    out.push(`CREATE TABLE ${name} (\n${lines.join(',\n')}\n);`);
    out.push(...idx.map((i) => `${i.def};`));
  }
  if (rel.comment) out.push(`COMMENT ON ${rel.relkind === 'v' ? 'VIEW' : rel.relkind === 'm' ? 'MATERIALIZED VIEW' : 'TABLE'} ${name} IS ${quoteLiteral(rel.comment)};`);
  return `${out.join('\n\n')}\n`;
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
