import { lazySchema } from '../lazy';
import { z } from '../zod';
import { CONNECTIONS_FILE_VERSION, ProfileId, type ConnectionProfile, type ConnectionsFile } from './profile';

/**
 * `.plugboard/connections.json` as Plugboard 0.1.0 wrote it (version 1): PostgreSQL and REST fields side by
 * side on each profile. It is still read (validated as strictly as 0.1.0 did) and migrated to version 2,
 * where everything but id, name, kind and codegen moves into the backend's `options`.
 */
const ProfileV1 = lazySchema(() => z
  .object({
    id: ProfileId,
    name: z.string().min(1).max(120),
    kind: z.string().min(1),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    sslmode: z.enum(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']).optional(),
    connectTimeoutMs: z.number().int().min(100).max(600_000).optional(),
    demo: z.boolean().optional(),
    schemas: z
      .object({ include: z.array(z.string().min(1)).optional(), exclude: z.array(z.string().min(1)).optional() })
      .strict()
      .optional(),
    codegen: z.object({ outDir: z.string().min(1).optional(), targets: z.array(z.string().min(1)).optional() }).strict().optional(),
    provider: z.string().optional(),
    variables: z.record(z.string(), z.string()).optional(),
    accountId: z.string().optional(),
  })
  .strict());

export const ConnectionsFileV1 = lazySchema(() => z
  .object({ $schema: z.string().optional(), version: z.literal(1), connections: z.array(ProfileV1) })
  .strict());

export function isV1ConnectionsFile(raw: unknown): boolean {
  return !!raw && typeof raw === 'object' && (raw as { version?: unknown }).version === 1;
}

export function migrateConnectionsFile(v1: z.infer<typeof ConnectionsFileV1>): ConnectionsFile {
  const connections = v1.connections.map(({ id, name, kind, codegen, ...rest }): ConnectionProfile => {
    const options = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    return { id, name, kind, options, ...(codegen ? { codegen } : {}) };
  });
  return { ...(v1.$schema ? { $schema: v1.$schema } : {}), version: CONNECTIONS_FILE_VERSION, connections };
}
