import * as net from 'node:net';
import { Pool, type PoolClient, type QueryArrayConfig, type QueryConfig, type QueryResult, type QueryResultRow } from 'pg';
import { PlugboardError, cancelled, throwIfAborted } from '../../core/errors';
import { describeZodIssue } from '../../core/model/zodIssues';
import { redactor } from '../../core/redact';
import type { Driver, EntityRef, IntrospectOptions, PreviewPage, ProgressReporter, SchemaChangeListener, SchemaSubscription, Session } from '../../core/backend';
import type { ConnectionProfile, HealthReport, SchemaModel, Secret } from '../../core/model';
import { entityDdl, pgSnippets, previewPage } from './browse';
import { catalogQueries, SERVER_SQL, type CatalogPart } from './catalog';
import { describeTarget, loadTlsFiles, poolConfig } from './config';
import { ensureDemoDatabase, stopDemoDatabase } from './demo';
import { classifyPgError } from './errors';
import { modelFromCatalog, modelSteps, parseCatalogResult } from './introspect';
import { HOST_STEP_SIZE, runStepsSliced, Slicer } from '../../core/slices';
import { listenForDdl } from './listen';
import { PgOptions } from './options';
import { dropClient, endPool, trackClients } from './poolLife';

/**
 * PostgreSQL over node-postgres. One Pool per session (per profile); introspection runs seven catalog
 * queries concurrently whatever the database's size. AbortSignals reach the server as a protocol-level
 * CancelRequest, and the connection the query ran on is discarded.
 */
class PgSession implements Session {
  queryCount = 0;
  private closed = false;

  constructor(
    readonly profile: ConnectionProfile,
    private readonly options: PgOptions,
    private readonly pool: Pool,
    private readonly clients: Set<PoolClient>,
    private readonly label: string,
    private readonly timeoutMs: number,
  ) {}

  async query<R extends QueryResultRow>(text: string, values: unknown[] = [], signal?: AbortSignal): Promise<R[]> {
    return (await this.run<R>({ text, values }, signal)).rows;
  }

  /** Rows as arrays, with the column names in order (Preview Data: names may repeat). */
  async queryArrays(text: string, values: unknown[], signal?: AbortSignal): Promise<{ fields: string[]; rows: unknown[][] }> {
    const config: QueryArrayConfig = { text, values, rowMode: 'array' };
    const result = await this.run<unknown[]>(config, signal);
    return { fields: result.fields.map((f) => f.name), rows: result.rows as unknown[][] };
  }

  preview(ref: EntityRef, page: { limit: number; offset: number }, signal?: AbortSignal): Promise<PreviewPage> {
    return previewPage((text, values, s) => this.queryArrays(text, values, s), ref, page, signal);
  }

  ddl(ref: EntityRef, signal?: AbortSignal): Promise<string> {
    return entityDdl((text, values, s) => this.query(text, values, s), ref, signal);
  }

  private async run<R extends QueryResultRow | unknown[]>(config: QueryConfig, signal?: AbortSignal): Promise<QueryResult<R & QueryResultRow>> {
    if (this.closed) throw new PlugboardError('CONNECTION_LOST', `The session to ${this.label} is closed.`);
    throwIfAborted(signal);
    const client = await this.acquire(signal);
    let destroy = false;
    const onAbort = () => {
      destroy = true;
      cancelBackend(this.pool, client);
    };
    // A checked-out client that loses its connection also emits 'error'; unheard, that would crash the
    // process. The same failure reaches us as the query's rejection below.
    const onClientError = () => undefined;
    client.on('error', onClientError);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      this.queryCount++;
      const result = await client.query<R & QueryResultRow>(config);
      throwIfAborted(signal);
      return result;
    } catch (err) {
      destroy = true;
      if (signal?.aborted) throw cancelled();
      // No answer in time: the server may be gone or hung. Ask it to stop, and drop the socket rather than
      // wait for a goodbye it may never send.
      if (err instanceof Error && /Query read timeout/.test(err.message)) {
        cancelBackend(this.pool, client);
        dropClient(client);
      }
      throw classifyPgError(err, `Query on ${this.label}`);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      client.removeListener('error', onClientError);
      client.release(destroy);
    }
  }

  private async acquire(signal?: AbortSignal): Promise<PoolClient> {
    const pending = this.pool.connect();
    if (!signal) return pending.catch((err) => Promise.reject(classifyPgError(err, `Connecting to ${this.label}`)));
    return new Promise<PoolClient>((resolve, reject) => {
      const onAbort = () => reject(cancelled());
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then(
        (client) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) client.release();
          else resolve(client);
        },
        (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(classifyPgError(err, `Connecting to ${this.label}`));
        },
      );
    });
  }

  async ping(signal?: AbortSignal): Promise<HealthReport> {
    const started = performance.now();
    const [row] = await this.query<{ version: string }>(SERVER_SQL, [], signal);
    return {
      profileId: this.profile.id,
      status: 'ok',
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      serverVersion: `PostgreSQL ${row?.version ?? '?'}`,
      checkedAt: new Date().toISOString(),
    };
  }

  async introspect(opts: IntrospectOptions, progress?: ProgressReporter, signal?: AbortSignal): Promise<SchemaModel> {
    // The caller's filter (the CLI's --schema) wins over the profile's own.
    const filter = opts.include || opts.exclude ? opts : (this.options.schemas ?? {});
    const include = filter.include?.length ? filter.include : null;
    const exclude = filter.exclude ?? [];
    progress?.('Reading the catalog', 0);
    // Seven queries (six for a model only for generating code) on the pool's connections (two to four, see poolSize) at once (see catalogQueries); each JSON document is
    // parsed as soon as it arrives, while the others are still running. On the extension host, in a task of its
    // own: documents that arrive together were parsed back to back, one 200 ms task at 5,000 tables.
    const slicer = opts.sliced ? new Slicer(10, signal, 'Introspection') : undefined;
    let turn = Promise.resolve();
    const parse = (part: CatalogPart, rows: unknown[]) => {
      if (!slicer) return parseCatalogResult(part, rows);
      const parsed = turn.then(() => slicer.pause()).then(() => parseCatalogResult(part, rows));
      turn = parsed.then(() => undefined, () => undefined);
      return parsed;
    };
    const results = await Promise.all(
      catalogQueries(include, exclude, { indexes: !opts.forGeneration }).map((q) => this.query(q.text, q.values, signal).then((rows) => parse(q.part, rows))),
    );
    throwIfAborted(signal);
    progress?.('Building the schema model', 0.8);
    const model = slicer ? await runStepsSliced(modelSteps(results, HOST_STEP_SIZE), slicer) : modelFromCatalog(results);
    progress?.('Schema read', 1);
    return model;
  }

  /** DDL notices from the optional event trigger (listen.ts), on a connection of their own. */
  async watchSchema(listener: SchemaChangeListener, signal?: AbortSignal): Promise<SchemaSubscription> {
    if (this.closed) throw new PlugboardError('CONNECTION_LOST', `The session to ${this.label} is closed.`);
    // PGlite runs every client on one backend session; the demo's schema only changes from the user's side.
    if (this.options.demo) throw new PlugboardError('INVALID_CONFIG', 'The embedded demo database sends no schema change notices.');
    return listenForDdl(this.pool.options, this.label, listener, this.timeoutMs, signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await endPool(this.pool, this.clients);
  }
}

/**
 * Sends the protocol's CancelRequest for whatever the client's backend is running; best effort, never throws.
 * Written out here rather than through pg's Client#cancel: that one relies on the deprecated `activeQuery`
 * (a warning on stderr) and, with TLS configured, starts an SSL handshake on the cancel connection. A cancel
 * request is 16 bytes on a fresh plain connection, which every server accepts before any negotiation.
 */
function cancelBackend(pool: Pool, client: PoolClient): void {
  const { processID, secretKey } = client as unknown as { processID?: number | null; secretKey?: number | null };
  if (processID == null || secretKey == null) return;
  try {
    const socket = net.connect(pool.options.port ?? 5432, pool.options.host ?? 'localhost');
    socket.on('error', () => undefined);
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('connect', () => {
      const request = Buffer.alloc(16);
      request.writeInt32BE(16, 0);
      request.writeInt32BE(80877102, 4); // CancelRequest code
      request.writeInt32BE(processID, 8);
      request.writeInt32BE(secretKey, 12);
      socket.end(request);
    });
  } catch {
    // The query will still be discarded with its connection.
  }
}

async function openPool(profile: ConnectionProfile, options: PgOptions, secret: Secret, timeoutMs: number, signal?: AbortSignal): Promise<{ pool: Pool; clients: Set<PoolClient>; label: string }> {
  redactor.register(secret.password);
  const target = options.demo
    ? await ensureDemoDatabase()
    : { host: options.host ?? 'localhost', port: options.port ?? 5432 };
  const label = describeTarget(options, target);
  const files = options.demo ? {} : await loadTlsFiles(options);
  const mode = options.sslmode ?? 'prefer';
  const attempts = options.demo || mode === 'disable' ? [false] : mode === 'prefer' || mode === 'allow' ? [true, false] : [true];
  let lastError: PlugboardError | undefined;
  for (const attemptTls of attempts) {
    throwIfAborted(signal);
    const pool = new Pool(poolConfig(options, secret, target, attemptTls, files, timeoutMs));
    pool.on('error', () => undefined); // idle client errors surface on the next query instead
    const clients = trackClients(pool);
    try {
      const session = new PgSession(profile, options, pool, clients, label, timeoutMs);
      await session.query(SERVER_SQL, [], signal);
      return { pool, clients, label };
    } catch (err) {
      // Cancelled mid-connect: pool.end() would wait for the pending connection to time out; let it go.
      if (signal?.aborted) void endPool(pool, clients);
      else await endPool(pool, clients);
      lastError = err instanceof PlugboardError ? err : classifyPgError(err, `Connecting to ${label}`);
      // `prefer`: a server without TLS is fine; anything else is the real answer.
      if (!(lastError.code === 'TLS_ERROR' && attemptTls && attempts.length > 1)) throw lastError;
    }
  }
  throw lastError ?? new PlugboardError('INTERNAL', `Could not connect to ${label}.`);
}

export const postgresDriver: Driver = {
  async connect(profile, secret, host) {
    const parsed = PgOptions.safeParse(profile.options);
    // A profile from a shared connections.json may hold anything; the message names the field, not the value.
    if (!parsed.success) throw new PlugboardError('INVALID_CONFIG', `Connection "${profile.name}": ${describeZodIssue(parsed.error, 'options')}`);
    const options = parsed.data;
    const { pool, clients, label } = await openPool(profile, options, secret, host.timeoutMs, host.signal);
    return new PgSession(profile, options, pool, clients, label, host.timeoutMs);
  },
  dispose: stopDemoDatabase,
  snippets: pgSnippets,
};

export type { PgSession };
