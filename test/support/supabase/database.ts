/**
 * A scratch database set up the way a Supabase project's is, as far as PostgREST and RLS policies can tell:
 * the API roles, their grants and default privileges on `public`, `auth.uid()`/`auth.role()`/`auth.jwt()`,
 * and the DDL event triggers that make PostgREST reload its schema cache on its own.
 *
 * Roles are cluster-wide and shared by every test run on the server, so they are created only if missing
 * (under an advisory lock, so two runs starting together do not race) and never dropped. Everything else
 * lives in the database and goes away with it.
 */
import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { redactPatterns } from '../../../src/core/redact';
import { ADMIN_URL } from '../postgres';

const CONNECT_TIMEOUT_MS = 5_000;
const STATEMENT_TIMEOUT_MS = 20_000;

// Attributes as in supabase/postgres' roles migration. authenticator is what PostgREST logs in as;
// NOINHERIT means it has no privileges of its own until PostgREST switches to the request's role.
const ENSURE_ROLES_SQL = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticator') THEN CREATE ROLE authenticator LOGIN NOINHERIT; END IF;
END
$$;
GRANT anon, authenticated, service_role TO authenticator;
`;

// Grants as in Supabase's initial schema; the auth.* helpers read the claims PostgREST puts in
// request.jwt.claims (PostgREST ≥ 10 no longer sets the per-claim request.jwt.claim.* settings).
const DATABASE_SETUP_SQL = `
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;

CREATE SCHEMA auth;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(nullif(current_setting('request.jwt.claims', true), '')::json->>'sub', '')::uuid $$;
CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('request.jwt.claims', true), '')::json->>'role' $$;
CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS
  $$ SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$;

CREATE SCHEMA extensions;
GRANT USAGE ON SCHEMA extensions TO anon, authenticated, service_role;
CREATE FUNCTION extensions.pgrst_schema_changed() RETURNS event_trigger LANGUAGE plpgsql AS
  $$ BEGIN NOTIFY pgrst, 'reload schema'; END $$;
CREATE EVENT TRIGGER pgrst_ddl_watch ON ddl_command_end EXECUTE FUNCTION extensions.pgrst_schema_changed();
CREATE EVENT TRIGGER pgrst_drop_watch ON sql_drop EXECUTE FUNCTION extensions.pgrst_schema_changed();
`;

export interface SupabaseDatabase {
  dbName: string;
  /** The admin credentials on the new database: for DDL, seeding and type generation. */
  dbUrl: string;
  /** `authenticator` on the new database, passwordless (needs trust auth): what PostgREST logs in as. */
  authenticatorUrl: string;
  /** Terminates the database's sessions and drops it. Roles stay. Safe to call twice. */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  if (user !== undefined) {
    u.username = encodeURIComponent(user);
    u.password = '';
  }
  return u.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, statement_timeout: STATEMENT_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${redactPatterns(url)}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureRoles(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('plugboard.test.supabase-roles'))");
      await client.query(ENSURE_ROLES_SQL);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

async function dropDatabase(adminUrl: string, dbName: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(dbName)} WITH (FORCE)`));
}

export async function prepareSupabaseDatabase(adminUrl: string = ADMIN_URL): Promise<SupabaseDatabase> {
  await ensureRoles(adminUrl);
  const dbName = `plugboard_test_supabase_${randomBytes(5).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${escapeIdentifier(dbName)}`));
  const dbUrl = withDatabase(adminUrl, dbName);
  try {
    await withClient(dbUrl, (client) => client.query(DATABASE_SETUP_SQL));
  } catch (err) {
    await dropDatabase(adminUrl, dbName).catch(() => undefined);
    throw err;
  }
  let dropped = false;
  return {
    dbName,
    dbUrl,
    authenticatorUrl: withDatabase(adminUrl, dbName, 'authenticator'),
    async drop() {
      if (dropped) return;
      dropped = true;
      await dropDatabase(adminUrl, dbName);
    },
  };
}
