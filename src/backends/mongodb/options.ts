import { lazySchema } from '../../core/lazy';
import { z } from '../../core/zod';

/** How many documents a collection's schema is inferred from when the profile does not say. */
export const DEFAULT_SAMPLE_SIZE = 1000;
/** The server-side limit on one sampling aggregate (`maxTimeMS`) when the profile does not say. */
export const DEFAULT_MAX_TIME_MS = 15_000;
/** Databases every mongod has, left out unless a filter names them. */
export const SYSTEM_DATABASES = ['admin', 'config', 'local'] as const;

/** `host`, `host:port`, `[ipv6]` or `[ipv6]:port`. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[^\s:/?#[\]@,]+)(?::\d{1,5})?$/;

/** The problem with a `hosts` value (comma-separated `host[:port]`), or undefined when it is fine. */
export function hostsProblem(hosts: string, srv: boolean): string | undefined {
  const list = hosts.split(',').map((h) => h.trim());
  if (list.some((h) => !h)) return 'Hosts is a comma-separated list of host or host:port, with no empty entry.';
  const bad = list.find((h) => !HOST.test(h));
  if (bad !== undefined) return `"${bad}" is not a host or host:port.`;
  const badPort = list.map((h) => /:(\d+)$/.exec(h)?.[1]).find((p) => p !== undefined && (Number(p) < 1 || Number(p) > 65535));
  if (badPort !== undefined) return `Port ${badPort} is not a port: use 1-65535.`;
  if (srv && list.length !== 1) return 'A mongodb+srv connection names exactly one DNS name.';
  if (srv && /:\d+$/.test(list[0]!)) return 'A mongodb+srv DNS name has no port: the SRV record gives the ports.';
  return undefined;
}

const ms = (max: number) => z.number().int().min(100).max(max);

/**
 * A MongoDB profile's non-secret options (the password lives in SecretStorage): the connection string's parts,
 * which databases to introspect, and how to sample. `params` keeps the other connection-string options
 * (`retryWrites`, `w`, `appName`, …) for the driver, as they were written.
 */
export const MongoOptions = lazySchema(() => z
  .object({
    /** `host[:port]`, comma-separated for a replica set; with `srv`, one DNS name without a port. */
    hosts: z.string().min(1).optional(),
    /** `mongodb+srv://`: the hosts come from the DNS SRV (and TXT) records of `hosts`. */
    srv: z.boolean().optional(),
    /** The URL's path: the default database, and the only one introspected when no filter says otherwise. */
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    authSource: z.string().min(1).optional(),
    authMechanism: z.enum(['SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN', 'MONGODB-X509']).optional(),
    replicaSet: z.string().min(1).optional(),
    directConnection: z.boolean().optional(),
    tls: z.boolean().optional(),
    tlsCAFile: z.string().min(1).optional(),
    tlsCertificateKeyFile: z.string().min(1).optional(),
    tlsAllowInvalidCertificates: z.boolean().optional(),
    tlsAllowInvalidHostnames: z.boolean().optional(),
    /** Other connection-string options, passed to the driver as written (never a secret: see url.ts). */
    params: z.record(z.string(), z.string()).optional(),
    /** Databases to introspect (exact names); system databases only when `include` names them. */
    databases: z
      .object({ include: z.array(z.string().min(1)).optional(), exclude: z.array(z.string().min(1)).optional() })
      .strict()
      .optional(),
    /** Documents sampled per collection without a `$jsonSchema` validator. */
    sampleSize: z.number().int().min(1).max(100_000).optional(),
    /** Server-side time limit of each sampling aggregate, in milliseconds. */
    maxTimeMS: ms(600_000).optional(),
    serverSelectionTimeoutMS: ms(600_000).optional(),
    connectTimeoutMS: ms(600_000).optional(),
    socketTimeoutMS: ms(3_600_000).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.hosts === undefined) return;
    const problem = hostsProblem(o.hosts, !!o.srv);
    if (problem) ctx.addIssue({ code: 'custom', path: ['hosts'], message: problem });
  }));
export type MongoOptions = z.infer<typeof MongoOptions>;

export const DEFAULT_HOSTS = 'localhost:27017';

export function describeMongo(o: MongoOptions): string {
  const where = `${o.hosts ?? DEFAULT_HOSTS}${o.srv ? ' (SRV)' : ''}`;
  return `${o.database ?? 'all databases'} on ${where}`;
}
