/**
 * A Supabase "project" for the backend's tests: a scratch database shaped like Supabase's, seeded with SQL,
 * and the real PostgREST behind the /rest/v1 gateway; plus the Plugboard profile and secret that reach it
 * (the database URL carries the canary as its password: trust auth ignores it, nothing may print it).
 */
import { Client } from 'pg';
import type { Session } from '../../src/core/backend';
import type { ConnectionProfile, SchemaModel, Secret } from '../../src/core/model';
import { closeSession } from '../../src/core/sessions';
import { CANARY } from './canary';
import { CATALOG, testHost, type TestHost } from './host';
import { prepareSupabaseDatabase, startPostgrest, type PostgrestServer, type SupabaseDatabase } from './supabase';

export interface SupabaseProject {
  db: SupabaseDatabase;
  server: PostgrestServer;
  schemas: string[];
  profile: ConnectionProfile;
  /** anonKey, serviceRoleKey and dbUrl (with the canary password). */
  secret: Secret & { anonKey: string; serviceRoleKey: string; dbUrl: string };
  sql(text: string): Promise<void>;
  stop(): Promise<void>;
}

/** The database URL with a password the server never checks (trust auth): the canary. */
export function withCanaryPassword(dbUrl: string): string {
  const u = new URL(dbUrl);
  u.password = encodeURIComponent(CANARY);
  return u.toString();
}

async function runSql(dbUrl: string, text: string): Promise<void> {
  const client = new Client({ connectionString: dbUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startSupabaseProject(seed: string, schemas: string[] = ['public']): Promise<SupabaseProject> {
  const db = await prepareSupabaseDatabase();
  let server: PostgrestServer | undefined;
  try {
    await runSql(db.dbUrl, seed);
    server = await startPostgrest({ dbUrl: db.authenticatorUrl, schemas });
  } catch (err) {
    await server?.stop();
    await db.drop();
    throw err;
  }
  const s = server;
  return {
    db,
    server: s,
    schemas,
    profile: { id: 'supabase-test', name: 'supabase test', kind: 'supabase', options: { url: s.url, schemas } },
    secret: { anonKey: s.anonKey, serviceRoleKey: s.serviceKey, dbUrl: withCanaryPassword(db.dbUrl) },
    sql: (text) => runSql(db.dbUrl, text),
    async stop() {
      await s.stop();
      await db.drop();
    },
  };
}

export async function connectSupabase(profile: ConnectionProfile, secret: Secret, host: TestHost = testHost()): Promise<Session> {
  return (await CATALOG.driver('supabase')).connect(profile, secret, host);
}

/** Connects, introspects the profile's exposed schemas and closes. */
export async function introspectSupabase(project: Pick<SupabaseProject, 'profile' | 'secret'>, host?: TestHost): Promise<SchemaModel> {
  const session = await connectSupabase(project.profile, project.secret, host);
  try {
    return await session.introspect({});
  } finally {
    await closeSession(session);
  }
}
