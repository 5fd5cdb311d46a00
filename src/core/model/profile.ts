import { z } from '../zod';

/**
 * A connection profile without secrets (version 2). It may be committed (`.plugboard/connections.json`) and
 * shared with the team; passwords, keys and tokens live in SecretStorage (editor) or environment variables
 * (CLI). `options` belong to the profile's backend, which validates them (BackendModule.options).
 */
const PROFILE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const CodegenSettings = z
  .object({
    outDir: z.string().min(1).optional(),
    targets: z.array(z.string().min(1)).optional(),
    /** The overrides file, relative to the workspace folder (default `.plugboard/overrides.json`). */
    overrides: z.string().min(1).optional().describe('The overrides file for this connection, relative to the workspace folder (default .plugboard/overrides.json).'),
    /** Entities per namespace above which generated files are split into parts; wins over the setting and the CLI default. */
    splitThreshold: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .optional()
      .describe('Split generated files into a folder of parts plus an index once a schema has more entities than this (0 = never). Overrides the plugboard.codegen.splitThreshold setting.'),
  })
  .strict();
export type CodegenSettings = z.infer<typeof CodegenSettings>;

export const ProfileId = z.string().regex(PROFILE_ID, 'must be 1-64 letters, digits, "_", "-" or "." and start with a letter or digit');

export const ConnectionProfile = z
  .object({
    id: ProfileId,
    name: z.string().trim().min(1).max(120),
    kind: z.string().min(1),
    options: z.record(z.string(), z.unknown()).default({}),
    codegen: CodegenSettings.optional(),
  })
  .strict();
export type ConnectionProfile = z.infer<typeof ConnectionProfile>;

export const CONNECTIONS_FILE_VERSION = 2;

export const ConnectionsFile = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(CONNECTIONS_FILE_VERSION),
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
