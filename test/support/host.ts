/**
 * What tests hand the real backends, as the editor and the CLI do: the backend list, a HostServices with an
 * in-memory secret store and a log that collects lines, and profile builders for the v2 profile shape.
 */
import { BACKENDS } from '../../src/backends';
import type { HostServices, ProviderLookup, TargetOffer } from '../../src/core/backend';
import type { CodegenOptions } from '../../src/core/codegen/types';
import { BackendCatalog } from '../../src/core/catalog';
import type { ConnectionProfile } from '../../src/core/model';
import { MemorySecretStore } from '../../src/core/profiles/secrets';

export const CATALOG = new BackendCatalog(BACKENDS);

export interface TestHost extends HostServices {
  lines: string[];
}

export function testHost(partial: Partial<HostServices> & { providers?: ProviderLookup } = {}): TestHost {
  const lines: string[] = [];
  return {
    lines,
    log: (line) => lines.push(line),
    secrets: partial.secrets ?? new MemorySecretStore(),
    fetch: partial.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    providers: partial.providers ?? { get: () => undefined },
    signal: partial.signal,
    timeoutMs: partial.timeoutMs ?? 15_000,
  };
}

/** A PostgreSQL profile from flat fields, the way 0.1.0 tests wrote them. */
export function pgProfile(p: { id?: string; name?: string } & Record<string, unknown>): ConnectionProfile {
  const { id = 'test', name = 'test', ...options } = p;
  return { id: String(id), name: String(name), kind: 'postgres', options };
}

/** The same profile with some options changed (`port: 1`, `sslmode: 'require'`); undefined removes one. */
export function withOptions(profile: ConnectionProfile, patch: Record<string, unknown>): ConnectionProfile {
  const options = { ...profile.options, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete options[k];
  return { ...profile, options };
}

/** generate()'s options for a model of `kind`: that backend's target offers and value mapping. */
export function codegenFor(kind: string, options: { profileName: string; targets: string[] } & Partial<CodegenOptions>): CodegenOptions & { offers: readonly TargetOffer[] } {
  const backend = CATALOG.get(kind);
  return { mapping: backend.valueMapping, offers: backend.targets, ...options };
}
