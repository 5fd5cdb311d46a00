import { createConnection, createPool, type ConnectionOptions, type Pool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';
import type { Driver, EntityRef, HostServices, IntrospectOptions, PreviewPage, ProgressReporter, Session } from '../../core/backend';
import { withDeadline } from '../../core/deadline';
import { cancelled, PlugboardError, throwIfAborted } from '../../core/errors';
import type { ConnectionProfile, HealthReport, SchemaModel, Secret } from '../../core/model';
import { redactor } from '../../core/redact';
import { mysqlDdl, mysqlPreview, mysqlSnippets } from './browse';
import { catalogQueries, KILL_QUERY_SQL, SERVER_SQL, viewsQuery, type CatalogPart, type CatalogQuery, type CatalogRows, type TableRow } from './catalog';
import { connectionOptions, DEFAULT_CONNECT_TIMEOUT_MS, describeTarget, poolOptions, readTlsFiles, tlsAttempts } from './config';
import { classifyMySqlError } from './errors';
import { buildModel, buildModelSteps } from './introspect';
import { HOST_STEP_SIZE, runStepsSliced, Slicer } from '../../core/slices';
import { databaseScope, MySqlOptions } from './options';
import { serverInfo, type ServerInfo } from './server';

/**
 * MySQL and MariaDB over mysql2. One pool per session; introspection runs its catalog queries (a fixed
 * handful, see catalog.ts) concurrently. Every step has a deadline. A cancelled or overdue query is stopped on
 * the server with KILL QUERY from a separate connection, and the connection it ran on is destroyed, so the
 * caller gets its answer at once and the server stops working for nobody.
 */
class MySqlSession implements Session {
  queryCount = 0;
  private closed = false;

  constructor(
    readonly profile: ConnectionProfile,
    private readonly options: MySqlOptions,
    private readonly pool: Pool,
    private readonly config: ConnectionOptions,
    readonly server: ServerInfo,
    private readonly host: HostServices,
    private readonly label: string,
  ) {}

  /** Runs one statement on a pooled connection; rows as arrays, in SELECT order. */
  async query(sql: string, values: unknown[] = [], signal?: AbortSignal): Promise<unknown[][]> {
    return (await this.run(sql, values, signal)).rows;
  }

  /** The same, with the result's column names (Preview Data: names may repeat); big numbers exact, as text. */
  queryWithFields(sql: string, values: unknown[], signal?: AbortSignal): Promise<{ fields: string[]; rows: unknown[][] }> {
    return this.run(sql, values, signal, { supportBigNumbers: true, bigNumberStrings: true });
  }

  preview(ref: EntityRef, page: { limit: number; offset: number }, signal?: AbortSignal): Promise<PreviewPage> {
    return mysqlPreview((sql, values, s) => this.queryWithFields(sql, values, s), ref, page, signal);
  }

  ddl(ref: EntityRef, signal?: AbortSignal): Promise<string> {
    return mysqlDdl((sql, values, s) => this.queryWithFields(sql, values, s), ref, signal);
  }

  private async run(sql: string, values: unknown[], signal?: AbortSignal, extra: Record<string, unknown> = {}): Promise<{ fields: string[]; rows: unknown[][] }> {
    if (this.closed) throw new PlugboardError('CONNECTION_LOST', `The session to ${this.label} is closed.`);
    throwIfAborted(signal);
    const conn = await this.acquire(signal);
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      this.killQuery(conn.threadId);
      conn.destroy();
    };
    try {
      this.queryCount++;
      const work = conn.query<RowDataPacket[]>({ ...extra, sql, values, rowsAsArray: true });
      work.catch(() => undefined); // settled below, or abandoned when stopped
      const [rows, fields] = await withDeadline(abortable(work, signal, stop), this.host.timeoutMs, `A query on ${this.label}`, stop);
      return { rows: rows as unknown as unknown[][], fields: (fields ?? []).map((f) => f.name) };
    } catch (err) {
      if (signal?.aborted) throw cancelled();
      throw classifyMySqlError(err, `Query on ${this.label}`);
    } finally {
      if (!stopped) conn.release();
    }
  }

  private async acquire(signal?: AbortSignal): Promise<PoolConnection> {
    const pending = this.pool.getConnection();
    // A connection that arrives after the caller gave up goes straight back.
    const giveBack = () => void pending.then((c) => c.release(), () => undefined);
    const connecting = abortable(pending, signal, giveBack);
    try {
      return await withDeadline(connecting, connectTimeout(this.options), `Connecting to ${this.label}`, giveBack);
    } catch (err) {
      if (signal?.aborted) throw cancelled();
      throw classifyMySqlError(err, `Connecting to ${this.label}`);
    }
  }

  /** KILL QUERY from a fresh connection; best effort, bounded by the connect deadline, never throws. */
  private killQuery(threadId: number): void {
    const kill = async () => {
      const killer = await createConnection({ ...this.config, connectTimeout: connectTimeout(this.options) });
      try {
        await killer.query(KILL_QUERY_SQL, [threadId]);
      } finally {
        killer.destroy();
      }
    };
    withDeadline(kill(), connectTimeout(this.options), 'KILL QUERY').catch((err: unknown) =>
      this.host.log(`mysql: could not stop query ${threadId} on ${this.label}: ${classifyMySqlError(err).message}`),
    );
  }

  async ping(signal?: AbortSignal): Promise<HealthReport> {
    const started = performance.now();
    const [row] = await this.query(SERVER_SQL, [], signal);
    return {
      profileId: this.profile.id,
      status: 'ok',
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      serverVersion: serverInfo(String(row?.[0] ?? '')).label,
      checkedAt: new Date().toISOString(),
    };
  }

  async introspect(opts: IntrospectOptions, progress?: ProgressReporter, signal?: AbortSignal): Promise<SchemaModel> {
    const scope = databaseScope(this.options, opts);
    progress?.('Reading the catalog', 0);
    const rows: Partial<Record<CatalogPart, unknown[][]>> = {};
    // A failure stops the other queries too, so none is left running for nobody.
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const run = async (q: CatalogQuery): Promise<void> => {
      try {
        rows[q.part] = (await this.query(q.sql, q.values, inner.signal)).map(textRow);
      } catch (err) {
        inner.abort();
        throw err;
      }
    };
    const viewsOf = (tables: unknown[][] = []) => (tables as TableRow[]).filter((t) => t[2] === 'VIEW').map((t) => [t[0], t[1]] as const);
    try {
      await Promise.all(
        catalogQueries(this.server, scope).map((q) => (q.part === 'tables' ? run(q).then(() => run(viewsQuery(viewsOf(rows.tables)))) : run(q))),
      );
    } catch (err) {
      if (signal?.aborted) throw cancelled();
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    throwIfAborted(signal);
    progress?.('Building the schema model', 0.8);
    const catalog = { schemata: [], tables: [], views: [], columns: [], indexes: [], foreignKeyColumns: [], foreignKeyRules: [], checks: [], ...rows } as unknown as CatalogRows;
    const build = { tinyint1AsBoolean: this.options.tinyint1AsBoolean ?? true, database: this.options.database };
    const model = opts.sliced
      ? await runStepsSliced(buildModelSteps(this.server, catalog, build, HOST_STEP_SIZE), new Slicer(10, signal, 'Introspection'))
      : buildModel(this.server, catalog, build);
    progress?.('Done', 1);
    return model;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await withDeadline(this.pool.end(), connectTimeout(this.options), `Closing the connections to ${this.label}`).catch(() => undefined);
  }
}

/** information_schema text that arrives as a binary string (a binary collation on some servers) is still text. */
function textRow(row: unknown[]): unknown[] {
  for (let i = 0; i < row.length; i++) {
    const cell = row[i];
    if (typeof cell === 'object' && cell !== null && Buffer.isBuffer(cell)) row[i] = cell.toString('utf8');
  }
  return row;
}

function connectTimeout(o: MySqlOptions): number {
  return o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
}

/** `work`, or CANCELLED as soon as the signal fires (then `onAbort` drops whatever `work` holds). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(cancelled());
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}

async function openSession(profile: ConnectionProfile, options: MySqlOptions, secret: Secret, host: HostServices): Promise<MySqlSession> {
  redactor.register(secret.password);
  const label = describeTarget(options);
  const files = await readTlsFiles(options);
  const attempts = tlsAttempts(options);
  let lastError: PlugboardError | undefined;
  for (const attemptTls of attempts) {
    throwIfAborted(host.signal);
    const config = connectionOptions(options, secret, files, attemptTls);
    const pool = createPool(poolOptions(config));
    // An idle connection that dies reports it here; the next query on the pool gets a fresh one.
    pool.pool.on('connection', (c) => c.on('error', () => undefined));
    try {
      const probe = new MySqlSession(profile, options, pool, config, serverInfo(''), host, label);
      const [row] = await probe.query(SERVER_SQL, [], host.signal);
      const server = serverInfo(String(row?.[0] ?? ''));
      host.log(`mysql: connected to ${label} (${server.label}${config.ssl ? ', TLS' : ''})`);
      return new MySqlSession(profile, options, pool, config, server, host, label);
    } catch (err) {
      void withDeadline(pool.end(), connectTimeout(options), 'Closing a failed pool').catch(() => undefined);
      lastError = err instanceof PlugboardError ? err : classifyMySqlError(err, `Connecting to ${label}`);
      // PREFERRED: a server without TLS is fine; anything else is the real answer.
      if (!(lastError.code === 'TLS_ERROR' && attemptTls && attempts.length > 1)) throw lastError;
    }
  }
  throw lastError ?? new PlugboardError('INTERNAL', `Could not connect to ${label}.`);
}

export const mysqlDriver: Driver = {
  async connect(profile, secret, host) {
    const options = MySqlOptions.parse(profile.options);
    return openSession(profile, options, secret, host);
  },
  snippets: mysqlSnippets,
};

export type { MySqlSession };
