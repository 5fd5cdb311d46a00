import { lazySchema } from '../../core/lazy';
import { z } from '../../core/zod';

/**
 * The mysql client's --ssl-mode values. PREFERRED (the default) tries TLS and falls back to plain text when
 * the server has none; REQUIRED insists on TLS without checking the certificate; VERIFY_CA checks that a
 * trusted CA signed it; VERIFY_IDENTITY also checks that it names the host.
 */
export const SSL_MODES = ['DISABLED', 'PREFERRED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'] as const;
export const SslMode = lazySchema(() => z.enum(SSL_MODES));
export type SslMode = z.infer<typeof SslMode>;

export const DEFAULT_PORT = 3306;
export const DEFAULT_USER = 'root';

/** Databases every server has for itself; never part of a model. */
export const SYSTEM_DATABASES = ['information_schema', 'mysql', 'performance_schema', 'sys'] as const;

const NamespaceFilter = lazySchema(() => z
  .object({ include: z.array(z.string().min(1)).optional(), exclude: z.array(z.string().min(1)).optional() })
  .strict());

/**
 * A MySQL / MariaDB profile's non-secret options (the password lives in SecretStorage).
 *
 * Which databases a model covers: `databases` when the profile has it (`{}` means every database the user can
 * see), else the profile's `database`, else every database; system databases never. The CLI's --schema
 * filter overrides all of these.
 */
export const MySqlOptions = lazySchema(() => z
  .object({
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    /** The default database of the connection, and the one introspected unless `databases` says otherwise. */
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    sslMode: SslMode.optional(),
    /** PEM files: the CA that signed the server's certificate, and a client certificate with its key. */
    sslCa: z.string().min(1).optional(),
    sslCert: z.string().min(1).optional(),
    sslKey: z.string().min(1).optional(),
    /** A Unix socket instead of host and port. */
    socketPath: z.string().min(1).optional(),
    /** TINYINT(1) columns are booleans (MySQL's BOOL); off: numbers, as the server stores them. */
    tinyint1AsBoolean: z.boolean().optional(),
    connectTimeoutMs: z.number().int().min(100).max(600_000).optional(),
    databases: NamespaceFilter.optional(),
  })
  .strict());
export type MySqlOptions = z.infer<typeof MySqlOptions>;

export function describeMySql(o: MySqlOptions): string {
  const where = o.socketPath ? o.socketPath : `${o.host ?? 'localhost'}${o.port ? `:${o.port}` : ''}`;
  return `${o.database ?? 'all databases'} on ${where}`;
}

/** The databases one introspection covers: `include` null (or an empty list) = every non-system database. */
export interface DatabaseScope {
  include: string[] | null;
  exclude: string[];
}

export function databaseScope(o: MySqlOptions, requested: { include?: string[]; exclude?: string[] }): DatabaseScope {
  const filter = requested.include || requested.exclude ? requested : (o.databases ?? (o.database ? { include: [o.database] } : {}));
  return { include: filter.include?.length ? [...filter.include] : null, exclude: [...(filter.exclude ?? [])] };
}
