import type { Entity, RlsPolicy, SchemaModel } from '../model';

/**
 * The row-level security advisor: reads the `rls` facts a backend put on its tables (the Supabase backend does,
 * for the schemas PostgREST exposes) and says where the anon key reaches more, or less, than was meant.
 * Pure: the editor (tree badges, diagnostics), the CLI (`plugboard advise`) and tests call it on a model.
 */
export type AdviceSeverity = 'error' | 'warning';

export type AdviceCode =
  /** RLS is off: every role with a privilege on the table reads and writes every row. */
  | 'rls_disabled'
  /** RLS is on and no policy exists: every request but service_role's is denied. */
  | 'rls_no_policy'
  /** A permissive policy lets `anon` write any row: USING (true) or WITH CHECK (true). */
  | 'anon_write_unrestricted';

export interface EntityRef {
  namespace: string;
  entity: string;
}

export interface Advice {
  entity: EntityRef;
  severity: AdviceSeverity;
  code: AdviceCode;
  /** One sentence naming the table (and the policy), what it means and what to do. */
  message: string;
  /** The policy the advice is about (anon_write_unrestricted). */
  policy?: string;
}

/** Roles the API keys act as; `public` policies and grants apply to them too. */
const API_ROLES = ['anon', 'authenticated'] as const;
const WRITES = ['insert', 'update', 'delete'] as const;
type Write = (typeof WRITES)[number];

/** Tables RLS applies to (views run as their owner; foreign tables cannot have RLS). */
function isRlsTable(e: Entity): boolean {
  return e.kind === 'table' || e.kind === 'partitioned_table';
}

/** Whether the model carries row-level security facts at all (a plain PostgreSQL introspection does not). */
export function hasRlsFacts(model: SchemaModel): boolean {
  return model.namespaces.some((ns) => ns.entities.some((e) => e.rls !== undefined));
}

/** Tables whose RLS is off: a client with the anon key reaches every row the grants allow. */
export function rlsOffTables(model: SchemaModel): EntityRef[] {
  const out: EntityRef[] = [];
  for (const ns of model.namespaces) {
    for (const e of ns.entities) if (isRlsTable(e) && e.rls && !e.rls.enabled) out.push({ namespace: ns.name, entity: e.name });
  }
  return out;
}

export function adviseRls(model: SchemaModel): Advice[] {
  const out: Advice[] = [];
  for (const ns of model.namespaces) {
    for (const e of ns.entities) {
      if (!isRlsTable(e) || !e.rls) continue;
      const ref = { namespace: ns.name, entity: e.name };
      const name = `${ns.name}.${e.name}`;
      const rls = e.rls;
      if (!rls.enabled) {
        const granted = grantedToApiRoles(rls.grants);
        out.push({
          entity: ref,
          code: 'rls_disabled',
          severity: granted === '' ? 'warning' : 'error',
          message:
            granted === ''
              ? `RLS is off on ${name}: no API role has a privilege on it now, but one GRANT would expose every row. Enable RLS (ALTER TABLE … ENABLE ROW LEVEL SECURITY) and add policies.`
              : `RLS is off on ${name}: every request reaches every row (${granted}). Enable RLS (ALTER TABLE … ENABLE ROW LEVEL SECURITY) and add policies.`,
        });
        continue;
      }
      if (!rls.policies.length) {
        out.push({
          entity: ref,
          code: 'rls_no_policy',
          severity: 'warning',
          message: `RLS is on for ${name} but it has no policy: every request with the anon key or a user's token is denied (only service_role, which bypasses RLS, gets through). Add policies, or leave it so on purpose.`,
        });
        continue;
      }
      for (const { policy, writes } of unrestrictedAnonWrites(rls.policies, rls.grants)) {
        out.push({
          entity: ref,
          code: 'anon_write_unrestricted',
          severity: 'warning',
          policy: policy.name,
          message: `Policy "${policy.name}" on ${name} lets anon ${writes.map((w) => w.toUpperCase()).join(', ')} any row (${isTrue(policy.using) ? 'USING (true)' : 'WITH CHECK (true)'}): anyone with the anon key can. Restrict it to authenticated users or add a condition.`,
        });
      }
    }
  }
  return out;
}

/** `anon may SELECT, INSERT; authenticated may SELECT`, or '' when neither has a privilege. */
function grantedToApiRoles(grants: Record<string, string[]> | undefined): string {
  if (!grants) return 'the API roles\' privileges are not known';
  return API_ROLES.filter((r) => grants[r]?.length)
    .map((r) => `${r} may ${grants[r]!.map((p) => p.toUpperCase()).join(', ')}`)
    .join('; ');
}

/** `true`, `(true)`, ` TRUE `: a condition that holds for every row. */
function isTrue(expression: string | null): boolean {
  if (expression === null) return false;
  let e = expression.trim().toLowerCase();
  while (e.startsWith('(') && e.endsWith(')')) e = e.slice(1, -1).trim();
  return e === 'true';
}

const appliesToAnon = (p: RlsPolicy) => p.roles.includes('anon') || p.roles.includes('public');

/** The writes a policy opens to every row: the commands it covers whose condition is `true`. */
function openWrites(p: RlsPolicy): Write[] {
  // UPDATE and ALL check new rows with USING when they have no WITH CHECK; an INSERT policy without one admits
  // no row at all.
  const check = p.command === 'insert' ? p.withCheck : (p.withCheck ?? p.using);
  const covers = (w: Write) => p.command === 'all' || p.command === w;
  return WRITES.filter((w) => covers(w) && (w === 'insert' ? isTrue(check) : w === 'delete' ? isTrue(p.using) : isTrue(p.using) || isTrue(check)));
}

/**
 * Permissive policies that let anon write any row, for the writes anon holds the privilege for (when the grants
 * are known) and that no restrictive policy for anon narrows.
 */
function unrestrictedAnonWrites(policies: RlsPolicy[], grants: Record<string, string[]> | undefined): { policy: RlsPolicy; writes: Write[] }[] {
  const restricted = new Set<Write>();
  for (const p of policies) {
    if (!p.permissive && appliesToAnon(p)) for (const w of WRITES) if (p.command === 'all' || p.command === w) restricted.add(w);
  }
  const granted = (w: Write) => !grants || (grants.anon ?? []).includes(w);
  return policies
    .filter((p) => p.permissive && appliesToAnon(p))
    .map((policy) => ({ policy, writes: openWrites(policy).filter((w) => granted(w) && !restricted.has(w)) }))
    .filter((x) => x.writes.length > 0);
}
