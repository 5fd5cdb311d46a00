import { z } from '../../core/zod';

/** libpq's sslmode values; `prefer` (the default) tries TLS and falls back to plain text. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export const SslMode = z.enum(SSL_MODES);
export type SslMode = z.infer<typeof SslMode>;

/** A PostgreSQL profile's non-secret options (the password lives in SecretStorage). */
export const PgOptions = z
  .object({
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    sslmode: SslMode.optional(),
    /** Connection timeout in milliseconds. */
    connectTimeoutMs: z.number().int().min(100).max(600_000).optional(),
    /** The embedded demo database: host and port are chosen when it starts. */
    demo: z.boolean().optional(),
    schemas: z
      .object({ include: z.array(z.string().min(1)).optional(), exclude: z.array(z.string().min(1)).optional() })
      .strict()
      .optional(),
  })
  .strict();
export type PgOptions = z.infer<typeof PgOptions>;

export function describePg(o: PgOptions): string {
  if (o.demo) return 'embedded demo';
  return `${o.database ?? 'postgres'} on ${o.host ?? 'localhost'}${o.port ? `:${o.port}` : ''}`;
}
