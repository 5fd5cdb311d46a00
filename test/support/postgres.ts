/**
 * The local PostgreSQL server the integration tests run against (127.0.0.1:5432, trust auth, or whatever
 * PLUGBOARD_TEST_PG_URL says). A missing server is a failure with instructions, never a skip: CI must not
 * go green because nothing ran. Every suite works in its own scratch database, dropped in `after`.
 */
import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import type { ConnectionProfile } from '../../src/core/model';
import { redactPatterns } from '../../src/core/redact';

export const ADMIN_URL = process.env.PLUGBOARD_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

interface AdminTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
}

function adminTarget(): AdminTarget {
  const u = new URL(ADMIN_URL);
  return {
    host: decodeURIComponent(u.hostname.replace(/^\[|\]$/g, '')) || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || 'postgres',
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

let reachable: Promise<void> | undefined;

/** Resolves when the server answers; otherwise rejects with what to do about it. Checked once per run. */
export function requirePostgres(): Promise<void> {
  reachable ??= (async () => {
    const client = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (err) {
      const where = redactPatterns(ADMIN_URL);
      throw new Error(
        `PostgreSQL is not reachable at ${where} (${(err as Error).message}). Start it with ` +
          '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, or point PLUGBOARD_TEST_PG_URL at a server.',
        { cause: err },
      );
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/** Runs statements on the admin connection (the `postgres` database) or on `database`. */
export async function adminQuery<R = Record<string, unknown>>(sql: string, values: unknown[] = [], database?: string): Promise<R[]> {
  const client = new Client({ ...clientConfig(database) });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as R[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function clientConfig(database?: string) {
  const t = adminTarget();
  return { host: t.host, port: t.port, user: t.user, password: t.password, database: database ?? (decodeURIComponent(new URL(ADMIN_URL).pathname.slice(1)) || 'postgres') };
}

export interface ScratchDatabase {
  name: string;
  /** A URL for the database (the admin credentials; no password on the default trust setup). */
  url: string;
  /** A Plugboard profile for it; the secret (if any) is `secret`. */
  profile: ConnectionProfile;
  secret: { password?: string };
  exec(sql: string): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** Creates `plugboard_test_<random>`; drop() terminates its sessions and removes it (safe to call twice). */
export async function createScratchDatabase(label = 'db'): Promise<ScratchDatabase> {
  await requirePostgres();
  const name = `plugboard_test_${label}_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${escapeIdentifier(name)}`);
  const t = adminTarget();
  const auth = `${encodeURIComponent(t.user)}${t.password ? `:${encodeURIComponent(t.password)}` : ''}@`;
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  let dropped = false;
  return {
    name,
    url: `postgres://${auth}${host}:${t.port}/${encodeURIComponent(name)}`,
    profile: { id: `test-${label}`, name: `test ${label}`, kind: 'postgres', options: { host: t.host, port: t.port, database: name, user: t.user, sslmode: 'disable' } },
    secret: t.password ? { password: t.password } : {},
    async exec(sql) {
      await adminQuery(sql, [], name);
    },
    query: (sql, values) => adminQuery(sql, values, name),
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]).catch(() => undefined);
      await adminQuery(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`).catch(async () => {
        await adminQuery(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)}`);
      });
    },
  };
}
