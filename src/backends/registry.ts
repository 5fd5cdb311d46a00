import { PlugboardError } from '../core/errors';
import type { Adapter, AdapterDescriptor } from './adapter';

/**
 * The adapter kinds Plugboard knows. Descriptors are cheap; each adapter (and its driver) is imported on
 * first use so activation pays for none of them.
 */
const descriptors: AdapterDescriptor[] = [
  {
    kind: 'postgres',
    label: 'PostgreSQL',
    description: 'PostgreSQL 12+ (also Supabase, Neon, RDS, PGlite)',
    defaultPort: 5432,
    schemes: ['postgres', 'postgresql'],
    load: async () => (await import('./postgres/adapter')).postgresAdapter,
  },
  {
    kind: 'http',
    label: 'REST API',
    description: 'Any REST service described by a provider definition (API key, bearer, basic, OAuth2, webhooks)',
    schemes: [],
    load: async () => (await import('./http/adapter')).httpAdapter,
  },
];

const loaded = new Map<string, Promise<Adapter>>();

export function listAdapterKinds(): readonly AdapterDescriptor[] {
  return descriptors;
}

export function describeKind(kind: string): AdapterDescriptor | undefined {
  return descriptors.find((d) => d.kind === kind);
}

export function getAdapter(kind: string): Promise<Adapter> {
  const descriptor = describeKind(kind);
  if (!descriptor) {
    return Promise.reject(
      new PlugboardError('INVALID_CONFIG', `Unknown connection kind "${kind}".`, {
        hint: `Known kinds: ${descriptors.map((d) => d.kind).join(', ')}.`,
      }),
    );
  }
  let adapter = loaded.get(kind);
  if (!adapter) {
    adapter = descriptor.load();
    loaded.set(kind, adapter);
  }
  return adapter;
}

/** Lets a later issue (provider-defined REST kinds) add kinds without touching this list. */
export function registerAdapterKind(descriptor: AdapterDescriptor): void {
  if (describeKind(descriptor.kind)) return;
  descriptors.push(descriptor);
}
