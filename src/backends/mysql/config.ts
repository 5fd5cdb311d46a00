import { promises as fs } from 'node:fs';
import type { ConnectionOptions, PoolOptions, SslOptions } from 'mysql2';
import { PlugboardError } from '../../core/errors';
import type { Secret } from '../../core/model';
import { DEFAULT_PORT, DEFAULT_USER, type MySqlOptions, type SslMode } from './options';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connections per session. Introspection runs its handful of catalog queries at once; more connections than
 * this only queue on a server's few cores (see bench/mysql.ts).
 */
export const POOL_SIZE = 4;

/** The certificate files a profile names, read once per connect. */
export interface TlsFiles {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export async function readTlsFiles(o: MySqlOptions): Promise<TlsFiles> {
  const read = async (file: string | undefined, what: string): Promise<Buffer | undefined> => {
    if (!file) return undefined;
    try {
      return await fs.readFile(file);
    } catch (err) {
      throw new PlugboardError('INVALID_CONFIG', `Cannot read the ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`, {
        hint: 'Check the SSL file paths of the connection (Plugboard: Edit Connection).',
      });
    }
  };
  const [ca, cert, key] = await Promise.all([read(o.sslCa, 'SSL CA'), read(o.sslCert, 'SSL certificate'), read(o.sslKey, 'SSL key')]);
  return { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) };
}

/**
 * mysql2's `ssl` for an ssl-mode. mysql2 has no "TLS if offered": PREFERRED is a TLS attempt first and a plain
 * one when the server has no TLS (see the driver); over a Unix socket, which is local already, it is plain
 * text straight away, as the mysql client does.
 */
export function sslOption(mode: SslMode, files: TlsFiles, attemptTls: boolean): SslOptions | undefined {
  const client = { ...(files.cert && { cert: files.cert }), ...(files.key && { key: files.key }) };
  switch (mode) {
    case 'DISABLED':
      return undefined;
    case 'PREFERRED':
      return attemptTls ? { ...client, rejectUnauthorized: false } : undefined;
    case 'REQUIRED':
      return { ...client, rejectUnauthorized: false };
    case 'VERIFY_CA':
      // Signed by a trusted CA, whatever name the certificate carries.
      return { ...client, ...(files.ca && { ca: files.ca }), rejectUnauthorized: true, verifyIdentity: false };
    case 'VERIFY_IDENTITY':
      return { ...client, ...(files.ca && { ca: files.ca }), rejectUnauthorized: true, verifyIdentity: true };
  }
}

/** The TLS attempts of one connect, in order: PREFERRED tries TLS, then plain text. */
export function tlsAttempts(o: MySqlOptions): boolean[] {
  const mode = o.sslMode ?? 'PREFERRED';
  if (mode === 'DISABLED' || (mode === 'PREFERRED' && o.socketPath)) return [false];
  return mode === 'PREFERRED' ? [true, false] : [true];
}

/** One connection's settings: the pool's, and the side connection that sends KILL QUERY. */
export function connectionOptions(o: MySqlOptions, secret: Secret, files: TlsFiles, attemptTls: boolean): ConnectionOptions {
  const where = o.socketPath ? { socketPath: o.socketPath } : { host: o.host ?? 'localhost', port: o.port ?? DEFAULT_PORT };
  const ssl = sslOption(o.sslMode ?? 'PREFERRED', files, attemptTls);
  return {
    ...where,
    user: o.user ?? DEFAULT_USER,
    ...(secret.password !== undefined && { password: secret.password }),
    ...(o.database && { database: o.database }),
    ...(ssl && { ssl }),
    connectTimeout: o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    charset: 'utf8mb4_general_ci',
    // information_schema's row estimates are BIGINT UNSIGNED; they fit a number.
    supportBigNumbers: true,
    multipleStatements: false,
    connectAttributes: { program_name: 'plugboard' },
  };
}

/**
 * The pool behind a session. Catalog rows are plain strings and numbers; nothing here affects what the
 * generated code reads (its runtime sets its own per-query options).
 */
export function poolOptions(connection: ConnectionOptions): PoolOptions {
  return { ...connection, connectionLimit: POOL_SIZE, maxIdle: POOL_SIZE, idleTimeout: 30_000, waitForConnections: true, queueLimit: 0 };
}

export function describeTarget(o: MySqlOptions): string {
  const where = o.socketPath ?? `${o.host ?? 'localhost'}:${o.port ?? DEFAULT_PORT}`;
  return o.database ? `${where}/${o.database}` : where;
}
