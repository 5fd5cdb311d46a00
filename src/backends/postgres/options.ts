import { isWellFormedText } from '../../core/text';
import { lazySchema } from '../../core/lazy';
import { z } from '../../core/zod';

/** libpq's sslmode values; `prefer` (the default) tries TLS and falls back to plain text. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export const SslMode = lazySchema(() => z.enum(SSL_MODES));
export type SslMode = z.infer<typeof SslMode>;

/** A name sent to the server: no control characters (a NUL would cut it short or break the protocol). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const name = () => z.string().min(1).refine((v) => !/[\u0000-\u001f\u007f]/.test(v) && isWellFormedText(v), 'must be text without control characters');

/** A PostgreSQL profile's non-secret options (the password lives in SecretStorage). */
export const PgOptions = lazySchema(() => z
  .object({
    host: name().optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: name().optional(),
    user: name().optional(),
    sslmode: SslMode.optional(),
    /** A CA certificate file (PEM) for verify-ca / verify-full (and require, as in libpq), or `system`. */
    sslRootCert: name().optional(),
    /** A client certificate and its key (PEM files), for servers that authenticate clients by certificate. */
    sslCert: name().optional(),
    sslKey: name().optional(),
    applicationName: name().optional(),
    /** libpq's `options` parameter, e.g. `-c search_path=app`. */
    serverOptions: name().optional(),
    /** Connection timeout in milliseconds. */
    connectTimeoutMs: z.number().int().min(100).max(600_000).optional(),
    /** The embedded demo database: host and port are chosen when it starts. */
    demo: z.boolean().optional(),
    schemas: z
      .object({ include: z.array(z.string().min(1)).optional(), exclude: z.array(z.string().min(1)).optional() })
      .strict()
      .optional(),
  })
  .strict());
export type PgOptions = z.infer<typeof PgOptions>;

export function describePg(o: PgOptions): string {
  if (o.demo) return 'embedded demo';
  return `${o.database ?? 'postgres'} on ${o.host ?? 'localhost'}${o.port ? `:${o.port}` : ''}`;
}
