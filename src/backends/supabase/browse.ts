import { escapeIdentifier } from 'pg';
import type { EntityRef, Snippets } from '../../core/backend';
import { relationName } from '../postgres/browse';

type Query = <R extends Record<string, unknown>>(text: string, values?: unknown[], signal?: AbortSignal) => Promise<R[]>;

/** A column as PostgREST reads it in a select list: double-quoted unless it is a plain word. */
function postgrestColumn(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Copy Name gives the SQL name (a Supabase project is PostgreSQL underneath); Copy SELECT gives the
 * supabase-js query an app would write, through `.schema()` outside `public`.
 */
export const supabaseSnippets: Snippets = {
  name: (ref, field) => (field === undefined ? relationName(ref) : postgrestColumn(field)),
  select(ref, fields, limit) {
    const schema = ref.namespace === 'public' ? '' : `.schema(${JSON.stringify(ref.namespace)})`;
    const columns = fields.length ? fields.map(postgrestColumn).join(', ') : '*';
    return `const { data, error } = await supabase${schema}\n  .from(${JSON.stringify(ref.entity)})\n  .select(${JSON.stringify(columns)})\n  .limit(${Math.max(1, Math.floor(limit))});`;
  },
};

/**
 * A table's row-level security as statements: ENABLE (and FORCE) ROW LEVEL SECURITY and each policy's CREATE
 * POLICY, from the server's own deparsed expressions. Empty for relations without RLS or policies.
 */
export async function rlsDdl(query: Query, ref: EntityRef, signal?: AbortSignal): Promise<string> {
  const [rel] = await query<{ enabled: boolean; forced: boolean }>(
    `SELECT c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
    [ref.namespace, ref.entity],
    signal,
  );
  if (!rel) return '';
  const policies = await query<{ name: string; permissive: string; roles: string[]; cmd: string; qual: string | null; with_check: string | null }>(
    `SELECT policyname AS name, permissive, roles::text[] AS roles, cmd, qual, with_check FROM pg_policies WHERE schemaname = $1 AND tablename = $2 ORDER BY policyname`,
    [ref.namespace, ref.entity],
    signal,
  );
  const name = relationName(ref);
  const out: string[] = [];
  if (rel.enabled) out.push(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY;`);
  if (rel.forced) out.push(`ALTER TABLE ${name} FORCE ROW LEVEL SECURITY;`);
  for (const p of policies) {
    const roles = p.roles.map((r) => (r === 'public' ? 'PUBLIC' : escapeIdentifier(r))).join(', ');
    out.push(
      `CREATE POLICY ${escapeIdentifier(p.name)} ON ${name} AS ${p.permissive} FOR ${p.cmd} TO ${roles}` +
        `${p.qual !== null ? `\n  USING (${p.qual})` : ''}${p.with_check !== null ? `\n  WITH CHECK (${p.with_check})` : ''};`,
    );
  }
  return out.join('\n\n');
}
