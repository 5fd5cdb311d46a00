import type { BackendModule } from '../../core/backend';
import { DOCS_MARKDOWN, TS_TYPES, ZOD } from '../../core/codegen/targets';
import { SUPABASE_TYPES } from '../supabase/typesOffer';
import { DEMO_PROFILE_NAME } from './demoSchema';
import { PG_VALUE_MAPPING } from './mapping';
import { describePg, PgOptions, SSL_MODES } from './options';
import { formatPostgresUrl, parsePgConnection } from './url';

const SSL_HINTS: Record<(typeof SSL_MODES)[number], string> = {
  disable: 'never TLS',
  allow: 'plain text first, TLS if the server insists',
  prefer: 'TLS when the server offers it (default)',
  require: 'always TLS, certificate not checked',
  'verify-ca': 'TLS, certificate signed by a trusted CA',
  'verify-full': 'TLS, trusted certificate for this host name',
};

const port = (v: string) => (/^\d+$/.test(v) && Number(v) > 0 && Number(v) < 65536 ? undefined : 'A port is a number from 1 to 65535');

/** PostgreSQL 12+ over node-postgres: also Supabase's database, Neon, RDS and the embedded PGlite demo. */
export const postgresBackend: BackendModule<PgOptions> = {
  kind: 'postgres',
  label: 'PostgreSQL',
  description: 'PostgreSQL 12+ (also Supabase, Neon, RDS, PGlite)',
  schemes: ['postgres', 'postgresql'],
  options: PgOptions,
  secrets: [{ key: 'password', label: 'Password', optional: true, env: 'PGPASSWORD' }],
  parse: parsePgConnection,
  format: (o) => (o.demo ? undefined : formatPostgresUrl(o)),
  describe: describePg,
  form: [
    { key: 'host', label: 'Host', input: 'text', default: 'localhost' },
    { key: 'port', label: 'Port', input: 'number', default: 5432, validate: port },
    { key: 'database', label: 'Database', input: 'text', default: 'postgres' },
    { key: 'user', label: 'User', input: 'text', default: 'postgres' },
    { key: 'password', label: 'Password', input: 'text', secret: true, optional: true, hint: 'Kept in your OS keychain, never in a file.' },
    {
      key: 'sslmode',
      label: 'SSL mode',
      input: 'choice',
      default: 'prefer',
      choices: SSL_MODES.map((m) => ({ value: m, description: SSL_HINTS[m] })),
    },
  ],
  capabilities: { introspect: true, crud: true, preview: true, ddl: true, subscribe: false, migrateFrom: false, migrateTo: false },
  targets: [
    { ...TS_TYPES, default: true },
    {
      id: 'pg-crud',
      label: 'PostgreSQL CRUD (pg)',
      description: 'get / list / insert / update / delete by primary key, using a pg Pool you pass in',
      default: true,
      requires: ['ts-types'],
      load: async () => (await import('./targets/pgCrud')).pgCrudTarget,
    },
    ZOD,
    DOCS_MARKDOWN,
    SUPABASE_TYPES,
  ],
  valueMapping: PG_VALUE_MAPPING,
  demo: { name: DEMO_PROFILE_NAME, options: { demo: true } },
  load: async () => (await import('./driver')).postgresDriver,
};
