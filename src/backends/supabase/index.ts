import type { BackendModule } from '../../core/backend';
import { DOCS_MARKDOWN, TS_TYPES, ZOD } from '../../core/codegen/targets';
import { SUPABASE_VALUE_MAPPING } from './mapping';
import { describeSupabase, projectUrlProblem, SupabaseOptions } from './options';
import { SUPABASE_TYPES } from './typesOffer';
import { formatSupabaseUrl, parseSupabaseConnection, SUPABASE_SCHEMES } from './url';
import { anonClientConfirmation } from './confirm';

const notEmpty = (what: string) => (v: string) => (v.trim() ? undefined : `${what} is required`);

/**
 * A Supabase project: its data API (PostgREST behind /rest/v1, called with the anon key) and its database,
 * introspected over the connection string as PostgreSQL, plus what PostgREST adds on top (row-level security,
 * view relationships). Generated clients go through supabase-js and read the URL and key from the environment.
 */
export const supabaseBackend: BackendModule<SupabaseOptions> = {
  kind: 'supabase',
  label: 'Supabase',
  description: 'A Supabase project (hosted or local): typed supabase-js client, RLS advisor',
  schemes: SUPABASE_SCHEMES,
  options: SupabaseOptions,
  secrets: [
    { key: 'anonKey', label: 'Anon key', env: 'SUPABASE_ANON_KEY' },
    { key: 'serviceRoleKey', label: 'Service role key', optional: true, env: 'SUPABASE_SERVICE_ROLE_KEY' },
    { key: 'dbUrl', label: 'Database connection string', env: 'SUPABASE_DB_URL' },
  ],
  parse: parseSupabaseConnection,
  format: formatSupabaseUrl,
  describe: describeSupabase,
  form: [
    {
      key: 'url',
      label: 'Project URL',
      input: 'text',
      placeholder: 'https://<project-ref>.supabase.co',
      hint: 'Dashboard: Project Settings → API → Project URL. A local stack (`supabase status`): http://127.0.0.1:54321.',
      validate: (v) => projectUrlProblem(v),
    },
    {
      key: 'anonKey',
      label: 'Anon key',
      input: 'text',
      secret: true,
      hint: 'Project Settings → API → Project API keys → anon public (or the publishable key). Kept in your OS keychain.',
      validate: notEmpty('The anon key'),
    },
    {
      key: 'serviceRoleKey',
      label: 'Service role key (optional)',
      input: 'text',
      secret: true,
      optional: true,
      hint: 'Project Settings → API → service_role. Only checked by the health report; never written into generated code.',
    },
    {
      key: 'dbUrl',
      label: 'Database connection string',
      input: 'text',
      secret: true,
      placeholder: 'postgresql://postgres:[YOUR-PASSWORD]@db.<project-ref>.supabase.co:5432/postgres',
      hint: 'Project Settings → Database → Connection string (URI); read for introspection only. Local: postgresql://postgres:postgres@127.0.0.1:54322/postgres.',
      validate: notEmpty('The database connection string'),
    },
    {
      key: 'schemas',
      label: 'Exposed schemas',
      input: 'text',
      default: 'public',
      hint: 'Project Settings → API → Exposed schemas (comma-separated): what is introspected and checked for RLS.',
      optional: true,
    },
  ],
  capabilities: { introspect: true, crud: true, preview: true, ddl: true, subscribe: false, migrateFrom: false, migrateTo: false },
  targets: [
    { ...SUPABASE_TYPES, default: true },
    {
      id: 'supabase-crud',
      label: 'Supabase CRUD (supabase-js)',
      description: 'get / list / insert / update / delete by primary key and typed RPC calls over supabase-js (anon key from the environment)',
      default: true,
      requires: ['supabase-types'],
      load: async () => (await import('./targets/supabaseCrud')).supabaseCrudTarget,
    },
    TS_TYPES,
    ZOD,
    DOCS_MARKDOWN,
  ],
  valueMapping: SUPABASE_VALUE_MAPPING,
  confirmGeneration: anonClientConfirmation,
  load: async () => (await import('./driver')).supabaseDriver,
};
