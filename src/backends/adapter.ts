import type { ConnectionProfile, HealthReport, SchemaModel, Secret } from '../core/model';

/** What an adapter can do; the editor enables commands from these flags. */
export interface Capabilities {
  introspect: boolean;
  crud: boolean;
  query: boolean;
  realtime: boolean;
  migrateFrom: boolean;
  migrateTo: boolean;
}

export interface IntrospectOptions {
  /** Only these namespaces (schemas); applied by the backend, not after the fact. */
  include?: string[];
  exclude?: string[];
}

/** Progress of long work: a short message and, when known, the share done so far (0..1). */
export type ProgressReporter = (message: string, fraction?: number) => void;

export interface Session {
  readonly profile: ConnectionProfile;
  ping(signal?: AbortSignal): Promise<HealthReport>;
  introspect(opts: IntrospectOptions, progress?: ProgressReporter, signal?: AbortSignal): Promise<SchemaModel>;
  /** Round trips made on this session so far (catalog queries for SQL backends); used by the benchmark. */
  readonly queryCount: number;
  close(): Promise<void>;
}

export interface Adapter {
  readonly kind: string;
  readonly capabilities: Capabilities;
  connect(profile: ConnectionProfile, secret: Secret, signal?: AbortSignal): Promise<Session>;
}

/** A kind the user can pick when adding a connection; the adapter itself is loaded on first use. */
export interface AdapterDescriptor {
  kind: string;
  label: string;
  description: string;
  defaultPort?: number;
  /** URL schemes a pasted connection string may start with. */
  schemes: string[];
  load(): Promise<Adapter>;
}
