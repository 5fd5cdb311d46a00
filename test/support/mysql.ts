/**
 * The local MariaDB / MySQL server the MySQL backend's tests run against (127.0.0.1:3306, root without a
 * password, or whatever PLUGBOARD_TEST_MYSQL_URL says). A missing server is a failure with instructions, never
 * a skip. Every suite works in its own databases with random names, dropped in `after`; users it creates get
 * random names too and are dropped with them.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createConnection, escapeId, type Connection, type ConnectionOptions } from 'mysql2/promise';
import type { HostServices, Session } from '../../src/core/backend';
import type { ConnectionProfile, Secret } from '../../src/core/model';
import { MemorySecretStore } from '../../src/core/profiles/secrets';
import { redactPatterns } from '../../src/core/redact';
import { mysqlBackend } from '../../src/backends/mysql';
import type { MySqlOptions } from '../../src/backends/mysql/options';
import { REPO } from './workdir';

export const MYSQL_URL = process.env.PLUGBOARD_TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test';

export const HOSTILE_MYSQL_SQL = readFileSync(path.join(REPO, 'test', 'fixtures', 'mysql-hostile.sql'), 'utf8');

function adminTarget(): { host: string; port: number; user: string; password?: string } {
  const u = new URL(MYSQL_URL.replace(/^(mysql|mariadb):/, 'http:'));
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username) || 'root',
    ...(u.password && { password: decodeURIComponent(u.password) }),
  };
}

/** Options of a profile for the test server, on `database`. */
export function serverOptions(database?: string): MySqlOptions {
  const t = adminTarget();
  return { host: t.host, port: t.port, user: t.user, ...(database && { database }), sslMode: 'DISABLED' };
}

export function adminSecret(): Secret {
  const t = adminTarget();
  return t.password ? { password: t.password } : {};
}

export async function adminConnection(database?: string, extra: ConnectionOptions = {}): Promise<Connection> {
  const t = adminTarget();
  const conn = await createConnection({ ...t, ...(database && { database }), multipleStatements: true, connectTimeout: 5_000, ...extra });
  conn.on('error', () => undefined);
  return conn;
}

let reachable: Promise<void> | undefined;

/** Resolves when the server answers; otherwise rejects with what to do about it. Checked once per run. */
export function requireMysql(): Promise<void> {
  reachable ??= (async () => {
    let conn: Connection | undefined;
    try {
      conn = await adminConnection();
      await conn.query('SELECT 1');
    } catch (err) {
      throw new Error(
        `MariaDB/MySQL is not reachable at ${redactPatterns(MYSQL_URL)} (${(err as Error).message}). Start it with ` +
          '`start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`, or point PLUGBOARD_TEST_MYSQL_URL at a server.',
        { cause: err },
      );
    } finally {
      conn?.destroy();
    }
  })();
  return reachable;
}

/** A unique name for this run: `pb_<label>_<random>`, so leftovers of a crashed run are recognisable. */
export function scratchName(label: string): string {
  return `pb_${label}_${randomBytes(5).toString('hex')}`;
}

export interface ScratchDatabases {
  names: string[];
  /** Runs SQL (several statements allowed) with `database` as the default one. */
  exec(sql: string, database?: string): Promise<void>;
  query<R = unknown[]>(sql: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** Creates fresh databases named from `names` (each made unique), dropped again by `drop()`. */
export async function createScratchDatabases(...labels: string[]): Promise<ScratchDatabases> {
  await requireMysql();
  const names = labels.map((l) => `${scratchName('t')} ${l}`);
  const admin = await adminConnection();
  try {
    for (const n of names) await admin.query(`CREATE DATABASE ${escapeId(n)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    admin.destroy();
  }
  return {
    names,
    async exec(sql, database = names[0]) {
      const conn = await adminConnection(database);
      try {
        await conn.query(sql);
      } finally {
        conn.destroy();
      }
    },
    async query<R>(sql: string, values: unknown[] = []) {
      const conn = await adminConnection(names[0]);
      try {
        const [rows] = await conn.query({ sql, values, rowsAsArray: true });
        return rows as unknown as R[];
      } finally {
        conn.destroy();
      }
    },
    async drop() {
      const conn = await adminConnection();
      try {
        // Foreign keys between the databases would make the order matter.
        await conn.query('SET FOREIGN_KEY_CHECKS = 0');
        for (const n of names) await conn.query(`DROP DATABASE IF EXISTS ${escapeId(n)}`);
      } finally {
        conn.destroy();
      }
    },
  };
}

/** A user with a password, for authentication tests; dropped by the returned function. */
export async function createUser(password: string): Promise<{ user: string; drop(): Promise<void> }> {
  const user = scratchName('user');
  const admin = await adminConnection();
  try {
    await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
  } finally {
    admin.destroy();
  }
  return {
    user,
    async drop() {
      const conn = await adminConnection();
      try {
        await conn.query('DROP USER IF EXISTS ?@?', [user, '%']);
      } finally {
        conn.destroy();
      }
    },
  };
}

export interface TestHost extends HostServices {
  lines: string[];
}

/** What the driver gets from its host: a log into an array, an in-memory secret store, no providers. */
export function testHost(overrides: Partial<HostServices> = {}): TestHost {
  const lines: string[] = [];
  return {
    lines,
    log: (line) => lines.push(line),
    secrets: new MemorySecretStore(),
    fetch: globalThis.fetch,
    providers: { get: () => undefined },
    timeoutMs: 15_000,
    ...overrides,
  };
}

export function mysqlProfile(options: MySqlOptions, name = 'mysql test'): ConnectionProfile {
  return { id: 'mysql-test', name, kind: 'mysql', options: { ...options } };
}

/** Connects through the backend's own driver, as the editor and the CLI do. */
export async function connectMysql(options: MySqlOptions, secret: Secret = adminSecret(), host: HostServices = testHost()): Promise<Session> {
  const driver = await mysqlBackend.load();
  return driver.connect(mysqlProfile(options), secret, host);
}

/** Connects and expects a failure; returns the error (fails the test if the connect succeeded). */
export async function connectError(options: MySqlOptions, secret: Secret = adminSecret(), host: HostServices = testHost()): Promise<unknown> {
  let session: Session | undefined;
  try {
    session = await connectMysql(options, secret, host);
  } catch (err) {
    return err;
  }
  await session.close();
  throw new Error(`connecting to ${options.host}:${options.port}/${options.database} was expected to fail but succeeded`);
}

/** The hostile fixture for a main and a second database (quoted into the `{{other}}` placeholder). */
export function hostileSql(otherDatabase: string): string {
  return HOSTILE_MYSQL_SQL.split('{{other}}').join(escapeId(otherDatabase));
}

/**
 * Loads the hostile schema into `main` (with its second database `other`). Its tables `Users` and `users`
 * need a server that keeps table names as given (lower_case_table_names = 0, the Linux default).
 */
export async function loadHostile(dbs: ScratchDatabases, main: string, other: string): Promise<void> {
  const [[mode]] = await dbs.query<[number]>('SELECT @@lower_case_table_names');
  if (Number(mode) !== 0) {
    throw new Error(`The hostile schema needs lower_case_table_names = 0 (tables that differ only in case); this server has ${mode}.`);
  }
  await dbs.exec(hostileSql(other), main);
}
