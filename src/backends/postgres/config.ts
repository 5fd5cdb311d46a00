import type { PoolConfig } from 'pg';
import type { Secret } from '../../core/model';
import type { PgOptions, SslMode } from './options';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** pg's `ssl` option for a libpq sslmode. `prefer`/`allow` try TLS first and fall back (see adapter). */
export function sslOption(mode: SslMode | undefined, attemptTls: boolean): PoolConfig['ssl'] {
  switch (mode ?? 'prefer') {
    case 'disable':
      return false;
    case 'allow':
    case 'prefer':
      return attemptTls ? { rejectUnauthorized: false } : false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

export function poolConfig(
  profile: PgOptions,
  secret: Secret,
  target: { host: string; port: number },
  attemptTls: boolean,
): PoolConfig {
  return {
    host: target.host,
    port: target.port,
    database: profile.database ?? 'postgres',
    user: profile.user ?? 'postgres',
    password: secret.password,
    ssl: sslOption(profile.demo ? 'disable' : profile.sslmode, attemptTls),
    // PGlite multiplexes every client onto one session: keep a single connection to it.
    max: profile.demo ? 1 : 4,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: profile.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    allowExitOnIdle: true,
    application_name: 'plugboard',
  };
}

export function describeTarget(profile: PgOptions, target: { host: string; port: number }): string {
  return `${target.host}:${target.port}/${profile.database ?? 'postgres'}`;
}
