/**
 * Sessions on the PostgreSQL backend through the backend contract, as the editor and the CLI open them:
 * the module's lazy `load()`, then `Driver.connect(profile, secret, host)`.
 */
import type { HostServices, IntrospectOptions, Session } from '../../src/core/backend';
import { generate, type GenerateResult } from '../../src/core/codegen/generate';
import type { ConnectionProfile, SchemaModel, Secret } from '../../src/core/model';
import { MemorySecretStore } from '../../src/core/profiles/secrets';
import { postgresBackend } from '../../src/backends/postgres';
import { clientConfig, type ScratchDatabase } from './postgres';

export interface PgTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** A v2 profile for a server the tests started or created; TLS off (neither the local server nor PGlite has it). */
export function pgProfile(id: string, target: PgTarget): ConnectionProfile {
  return {
    id,
    name: id,
    kind: 'postgres',
    options: { host: target.host, port: target.port, database: target.database, user: target.user, sslmode: 'disable' },
  };
}

/** A v2 profile for a scratch database (its own `profile` is still the v1 shape). */
export function scratchProfile(scratch: ScratchDatabase): ConnectionProfile {
  const c = clientConfig(scratch.name);
  return pgProfile(`test-${scratch.name}`, { host: c.host, port: c.port, database: c.database, user: c.user });
}

function hostServices(): HostServices {
  return {
    log: () => undefined,
    secrets: new MemorySecretStore(),
    fetch: globalThis.fetch,
    providers: { get: () => undefined },
    timeoutMs: 20_000,
  };
}

export async function connectPg(profile: ConnectionProfile, secret: Secret = {}): Promise<Session> {
  const driver = await postgresBackend.load();
  return driver.connect(profile, secret, hostServices());
}

/** Introspects once on a fresh session; also says how many queries the introspection took. */
export async function introspectPg(profile: ConnectionProfile, secret: Secret = {}, opts: IntrospectOptions = {}): Promise<{ model: SchemaModel; queries: number }> {
  const session = await connectPg(profile, secret);
  try {
    const before = session.queryCount;
    const model = await session.introspect(opts);
    return { model, queries: session.queryCount - before };
  } finally {
    await session.close();
  }
}

/** Generates targets the PostgreSQL backend offers, with its value mapping. */
export function generatePg(model: SchemaModel, targets: string[], profileName = 'test'): Promise<GenerateResult> {
  return generate(model, { profileName, targets, mapping: postgresBackend.valueMapping, offers: postgresBackend.targets });
}
