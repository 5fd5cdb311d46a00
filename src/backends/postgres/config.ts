import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { PoolConfig } from 'pg';
import { PlugboardError } from '../../core/errors';
import type { Secret } from '../../core/model';
import type { PgOptions, SslMode } from './options';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** How long after the server's statement_timeout the client gives up on an answer by itself. */
export const QUERY_TIMEOUT_GRACE_MS = 500;

/** Certificate material read from the files a profile names (sslrootcert / sslcert / sslkey). */
export interface TlsFiles {
  /** The CA to verify against; absent: the platform's CAs (sslrootcert=system, or none given). */
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Reads the certificate files; one that cannot be read is INVALID_CONFIG naming its parameter and path. */
export async function loadTlsFiles(o: Pick<PgOptions, 'sslRootCert' | 'sslCert' | 'sslKey'>): Promise<TlsFiles> {
  const read = async (param: string, file: string | undefined) => {
    if (file === undefined || (param === 'sslrootcert' && file === 'system')) return undefined;
    return fs.readFile(path.resolve(file)).catch((e: NodeJS.ErrnoException) => {
      throw new PlugboardError('INVALID_CONFIG', `The ${param} file ${file} cannot be read: ${e.code === 'ENOENT' ? 'no such file' : e.code ?? e.message}.`, {
        hint: `Check the ${param} path in the connection (a PEM file; relative paths start from ${process.cwd()}).`,
      });
    });
  };
  const [ca, cert, key] = await Promise.all([read('sslrootcert', o.sslRootCert), read('sslcert', o.sslCert), read('sslkey', o.sslKey)]);
  return { ca, cert, key };
}

/**
 * pg's `ssl` option for a libpq sslmode. `prefer`/`allow` try TLS first and fall back (see the driver). As in
 * libpq, `require` with a root certificate verifies the CA (like verify-ca); without one it only encrypts.
 * A client certificate and key go along in every mode that uses TLS.
 */
export function sslOption(mode: SslMode | undefined, attemptTls: boolean, files: TlsFiles = {}, rootCertGiven = files.ca !== undefined): PoolConfig['ssl'] {
  const client = { ...(files.cert ? { cert: files.cert } : {}), ...(files.key ? { key: files.key } : {}) };
  const verifyCa = { rejectUnauthorized: true, ...(files.ca ? { ca: files.ca } : {}), ...client, checkServerIdentity: () => undefined };
  switch (mode ?? 'prefer') {
    case 'disable':
      return false;
    case 'allow':
    case 'prefer':
      return attemptTls ? { rejectUnauthorized: false, ...client } : false;
    case 'require':
      return rootCertGiven ? verifyCa : { rejectUnauthorized: false, ...client };
    case 'verify-ca':
      return verifyCa;
    case 'verify-full':
      return { rejectUnauthorized: true, ...(files.ca ? { ca: files.ca } : {}), ...client };
  }
}

/**
 * How many connections introspection's catalog queries share. PGlite multiplexes every client onto one session:
 * one. A server on this machine runs each connection's backend on the cores this process also needs, so more
 * connections than cores only make them queue (measured on 2 cores with 2,000 tables: cold catalog reads took
 * 290 ms on 2 connections, 390 ms on 4): as many as there are cores, at least 2, at most 4. A remote server: 4.
 */
export function poolSize(profile: Pick<PgOptions, 'demo'>, host: string, cores = availableParallelism()): number {
  if (profile.demo) return 1;
  const local = host.startsWith('/') || host === 'localhost' || /^127\./.test(host) || host === '::1' || host === '[::1]';
  return local ? Math.min(4, Math.max(2, cores)) : 4;
}

export function poolConfig(
  profile: PgOptions,
  secret: Secret,
  target: { host: string; port: number },
  attemptTls: boolean,
  files: TlsFiles = {},
  stepTimeoutMs?: number,
): PoolConfig {
  const connectTimeout = profile.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return {
    host: target.host,
    port: target.port,
    database: profile.database ?? 'postgres',
    user: profile.user ?? 'postgres',
    password: secret.password,
    ssl: sslOption(profile.demo ? 'disable' : profile.sslmode, attemptTls, files, profile.sslRootCert !== undefined),
    max: poolSize(profile, target.host),
    idleTimeoutMillis: 30_000,
    // Every network step has the host's deadline: connecting (never longer than the profile allows), and each
    // query - on the server (statement_timeout, a clean error on a live server) and, a moment later, in the
    // client (query_timeout, for a server that stopped answering at all).
    connectionTimeoutMillis: stepTimeoutMs ? Math.min(connectTimeout, stepTimeoutMs) : connectTimeout,
    ...(stepTimeoutMs ? { statement_timeout: stepTimeoutMs, query_timeout: stepTimeoutMs + QUERY_TIMEOUT_GRACE_MS } : {}),
    allowExitOnIdle: true,
    application_name: profile.applicationName ?? 'plugboard',
    ...(profile.serverOptions ? { options: profile.serverOptions } : {}),
  };
}

export function describeTarget(profile: PgOptions, target: { host: string; port: number }): string {
  return `${target.host}:${target.port}/${profile.database ?? 'postgres'}`;
}
