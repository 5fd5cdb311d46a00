import { rlsOffTables, type EntityRef } from '../../core/advise/rls';
import type { SchemaModel } from '../../core/model';

/** Targets whose generated code calls the data API with the anon key. */
export const ANON_KEY_TARGETS: readonly string[] = ['supabase-crud'];

export interface RlsConfirmation {
  /** The tables with RLS off that the generated client would reach with the anon key. */
  tables: EntityRef[];
  /** One paragraph for a dialog or the CLI: what is at stake and how to go on. */
  message: string;
}

/**
 * What the user must confirm before `targets` are generated from `model`: a client that uses the anon key is
 * not generated for tables with RLS off without it. Undefined when nothing needs confirming. Cheap and pure
 * (no driver): the editor calls it before generating and asks; the CLI wants --allow-rls-off.
 */
export function anonClientConfirmation(model: SchemaModel, targets: readonly string[]): RlsConfirmation | undefined {
  const anon = targets.filter((t) => ANON_KEY_TARGETS.includes(t));
  if (!anon.length) return undefined;
  const tables = rlsOffTables(model);
  if (!tables.length) return undefined;
  const names = tables.map((t) => `${t.namespace}.${t.entity}`).join(', ');
  return {
    tables,
    message:
      `${anon.join(', ')} calls the API with the anon key, and row-level security is off on ${names}: ` +
      'anyone who has the key (it ships in every browser bundle) can read and change every row the grants allow. ' +
      'Enable RLS on them (ALTER TABLE … ENABLE ROW LEVEL SECURITY, then add policies), or confirm to generate anyway.',
  };
}
