import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier, type ClientConfig } from 'pg';
import { parsePostgresConnectionString } from '../src/backends/postgres/url';
import type { PgOptions } from '../src/backends/postgres/options';
import type { ConnectionProfile, Secret } from '../src/core/model';
import { poolConfig } from '../src/backends/postgres/config';

/**
 * Scratch databases for the benchmark: uniquely named, created from the server's admin database and dropped
 * again however the run ends (normal exit, exception, Ctrl-C / SIGTERM). Each size gets a database of its
 * own so that "every column of every user table" (the floor) is exactly that size's schema.
 */

export const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Server {
  /** Profile + secret for a database on the server, as the adapter would get them. */
  profileFor(database: string): { profile: ConnectionProfile; secret: Secret };
  /** A plain pg client config for the same database with the same TLS and options as the adapter's pool. */
  clientConfig(database: string): ClientConfig;
}

export function server(url: string): Server {
  const parsed = parsePostgresConnectionString(url);
  const { password, ...fields } = parsed;
  // A loopback benchmark measures catalog work, not TLS: unless the URL asks for TLS, don't negotiate it.
  const sslmode = fields.sslmode ?? 'disable';
  const secret: Secret = password ? { password } : {};
  const profileFor = (database: string) => ({
    profile: { id: 'bench', name: 'bench', kind: 'postgres', options: { ...fields, sslmode, database } } as ConnectionProfile,
    secret,
  });
  return {
    profileFor,
    clientConfig(database) {
      const options = profileFor(database).profile.options as PgOptions;
      const target = { host: options.host ?? 'localhost', port: options.port ?? 5432 };
      // The adapter's own pool settings (TLS, application_name, timeouts); `max` is ignored by a Client.
      // With prefer/allow the adapter may or may not end up on TLS; the floor assumes it did not.
      return poolConfig(options, secret, target, !['disable', 'allow', 'prefer'].includes(sslmode));
    },
  };
}

export class ScratchDatabases {
  readonly prefix = `plugboard_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  private readonly created: string[] = [];
  private cleaning?: Promise<void>;
  private readonly onSignal = (sig: NodeJS.Signals) => {
    process.stderr.write(`\n${sig}: dropping scratch databases…\n`);
    void this.dropAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };

  constructor(
    private readonly srv: Server,
    private readonly adminDb: string,
    /** Closes whatever still holds connections to the scratch databases (sessions, clients). */
    private readonly beforeDrop: () => Promise<void>,
  ) {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  private async admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client(this.srv.clientConfig(this.adminDb));
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  async create(suffix: string): Promise<string> {
    const name = `${this.prefix}_${suffix}`;
    await this.admin((c) => c.query(`CREATE DATABASE ${escapeIdentifier(name)} TEMPLATE template0`));
    this.created.push(name);
    return name;
  }

  /** Idempotent; safe to call from a signal handler while the main flow is also finishing. */
  dropAll(): Promise<void> {
    this.cleaning ??= (async () => {
      await this.beforeDrop().catch(() => undefined);
      const names = this.created.splice(0);
      if (!names.length) return;
      await this.admin(async (c) => {
        for (const name of names) {
          // FORCE (PG 13+) ends stray backends, e.g. a query still running after Ctrl-C.
          await c.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`).catch(async () => {
            await c.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)}`);
          });
        }
      }).catch((err: Error) => {
        process.stderr.write(`Could not drop ${names.join(', ')}: ${err.message}\n`);
      });
    })();
    return this.cleaning;
  }

  dispose(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
