import type { TargetOffer } from '../../core/backend';

/**
 * `supabase-types`: the `Database` type `supabase gen types typescript` emits. It needs only the catalog, so
 * the PostgreSQL backend offers it too (`plugboard generate --url postgres://… --target supabase-types`).
 */
export const SUPABASE_TYPES: TargetOffer = {
  id: 'supabase-types',
  label: 'Supabase Database types',
  description: 'The `Database` type of `supabase gen types typescript`, for createClient<Database>()',
  load: async () => (await import('./targets/supabaseTypes')).supabaseTypesTarget,
};
