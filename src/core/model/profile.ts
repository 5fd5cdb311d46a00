import { z } from 'zod';

/**
 * A connection profile without secrets. It may be committed (`.plugboard/connections.json`) and shared with
 * the team; passwords, keys and tokens live in SecretStorage (editor) or environment variables (CLI).
 */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export const SslMode = z.enum(SSL_MODES);
export type SslMode = z.infer<typeof SslMode>;

const PROFILE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const CodegenSettings = z.object({
  outDir: z.string().min(1).optional(),
  targets: z.array(z.string().min(1)).optional(),
});
export type CodegenSettings = z.infer<typeof CodegenSettings>;

export const ConnectionProfile = z
  .object({
    id: z.string().regex(PROFILE_ID, 'must be 1-64 letters, digits, "_", "-" or "." and start with a letter or digit'),
    name: z.string().min(1).max(120),
    kind: z.string().min(1),
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
    codegen: CodegenSettings.strict().optional(),
    /** For provider-defined kinds (REST): the provider id and the values of its {{variables}}. */
    provider: z.string().optional(),
    variables: z.record(z.string(), z.string()).optional(),
    accountId: z.string().optional(),
  })
  .strict();
export type ConnectionProfile = z.infer<typeof ConnectionProfile>;

export const ConnectionsFile = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1),
    connections: z.array(ConnectionProfile),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.connections.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['connections', i, 'id'], message: `duplicate id "${c.id}"` });
      seen.add(c.id);
    });
  });
export type ConnectionsFile = z.infer<typeof ConnectionsFile>;

/** What the secret store holds for one profile: a small JSON object, e.g. `{ password }` or `{ apiKey }`. */
export type Secret = Record<string, string>;

/** Makes a profile id from a display name: stable, readable, unique among `taken`. */
export function profileIdFor(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base =
    name
      .normalize('NFKD')
      .replace(/[^\w.-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+|-+$/g, '')
      .toLowerCase()
      .slice(0, 48) || 'connection';
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  return id;
}
