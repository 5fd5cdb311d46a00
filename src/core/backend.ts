import type { ZodType } from 'zod';
import type { CodegenTarget } from './codegen/types';
import type { ConnectionProfile, HealthReport, NeutralType, ProviderDefinition, SchemaModel, Secret } from './model';
import type { SecretStore } from './profiles/secrets';

/**
 * The contract every backend plugs into: one `BackendModule` per backend, in `src/backends/<kind>/index.ts`,
 * listed once in `src/backends/index.ts`. Core never imports a backend or a driver; the host (editor, CLI,
 * tests) hands core the list. A module is cheap to import: its driver and its own codegen targets load on
 * first use through `load()` and `TargetOffer.load()`.
 */
export interface BackendModule<O extends object = Record<string, unknown>> {
  /** Stored in profiles: 'postgres', 'mysql', 'mongodb', 'supabase', 'firestore', 'http'. */
  readonly kind: string;
  readonly label: string;
  readonly description: string;
  /** URL schemes a pasted connection string or the CLI's `--url` may start with. */
  readonly schemes: readonly string[];
  /** The non-secret profile options, validated (error messages name the field). */
  readonly options: ZodType<O>;
  /** The secrets a profile of this kind may hold in SecretStorage. */
  readonly secrets: readonly SecretField[];
  /** A connection string → options and the secret it carried (a password in a URL). */
  parse(text: string): ConnectionText<O>;
  /** The options as a connection string, never with a secret; undefined when the kind has none. */
  format(options: O): string | undefined;
  /** Where a profile points, for the tree and quick picks: `db on host:5432`, `my-project (emulator)`. */
  describe(options: O): string;
  /** The wizard's and the connection form's fields, in order. Empty: the kind has a wizard of its own. */
  readonly form: readonly FieldSpec[];
  readonly capabilities: Capabilities;
  /** Codegen targets offered, in the order offered. */
  readonly targets: readonly TargetOffer[];
  /** What the driver returns for each neutral type: what generated types must say. */
  readonly valueMapping: ValueMapping;
  /**
   * What a person must confirm before these targets are generated from this model (Supabase: an anon-key
   * client for tables with row-level security off), or undefined. Pure: no driver, no I/O.
   */
  confirmGeneration?(model: SchemaModel, targets: readonly string[]): { message: string } | undefined;
  /** A connection that needs no server (an embedded demo database), when the backend has one. */
  readonly demo?: { name: string; options: O };
  /** Imports the driver (on first use: activation pays for none). */
  load(): Promise<Driver>;
}

/** What a backend can do. Menus and commands read these (through context keys), never kind names. */
export interface Capabilities {
  introspect: boolean;
  /** Generated code can read and write rows/documents. */
  crud: boolean;
  /** The editor can show the first rows of an entity (Session.preview). */
  preview: boolean;
  /** The editor can show an entity's definition as the server writes it (Session.ddl). */
  ddl: boolean;
  /** Live change feeds (LISTEN/NOTIFY, change streams, onSnapshot). */
  subscribe: boolean;
  migrateFrom: boolean;
  migrateTo: boolean;
}

export const CAPABILITY_KEYS = ['introspect', 'crud', 'preview', 'ddl', 'subscribe', 'migrateFrom', 'migrateTo'] as const satisfies readonly (keyof Capabilities)[];

export interface SecretField {
  /** The key in the stored secret object: `password`, `apiKey`, `serviceAccount`, … */
  key: string;
  label: string;
  optional?: boolean;
  /** CLI: the environment variable read when the connection string carries no value (PGPASSWORD). */
  env?: string;
}

export interface ConnectionText<O> {
  options: O;
  /** Only the values the text carried; merged over the stored secret by the caller. */
  secret: Secret;
}

/** One field of the Add/Edit wizard and the connection form. */
export interface FieldSpec {
  /** An option key, or a secret key when `secret` is true. */
  key: string;
  label: string;
  input: 'text' | 'number' | 'choice' | 'boolean' | 'file';
  /** Stored in SecretStorage, never in the profile; shown masked. */
  secret?: boolean;
  default?: string | number | boolean;
  placeholder?: string;
  /** One line under the input: what it is or where to find it. */
  hint?: string;
  optional?: boolean;
  choices?: readonly { value: string; label?: string; description?: string }[];
  /** An error message for a bad value, or undefined. */
  validate?(value: string): string | undefined;
  /** Asked only when this holds for the values entered so far. */
  when?(values: Readonly<Record<string, unknown>>): boolean;
}

/** The TypeScript a value maps to: read back from the driver (`row`) and accepted on write. */
export interface TsType {
  row: string;
  /** Defaults to `row`. */
  write?: string;
  /** Type imports the expressions need, e.g. `{ name: 'ObjectId', from: 'mongodb' }`. */
  imports?: readonly { name: string; from: string }[];
  /** Names of `ValueMapping.declarations` the expressions use (declared once per generated file). */
  declares?: readonly string[];
  /**
   * The zod schema (zod target) that validates the same values, as zod/v4 expressions whose `z.infer` is
   * exactly `row` / `write`. Without it, core derives one from the TypeScript text (`string` → `z.string()`,
   * `Date | string` → a union, …) and falls back to `z.custom<T>()`, which types the value but checks nothing.
   */
  zod?: ZodExpr;
}

export interface ZodExpr {
  row: string;
  /** Defaults to `row`. */
  write?: string;
  /** Values the expressions use, imported with a value import (`z.instanceof(ObjectId)` needs the class). */
  imports?: readonly { name: string; from: string }[];
  /** Types the expressions name only as types (`z.custom<Document>(…)`), imported with `import type`. */
  typeImports?: readonly { name: string; from: string }[];
  /** Names of `ValueMapping.zodDeclarations` the expressions use (declared once per generated file). */
  declares?: readonly string[];
}

export interface ValueMapping {
  /** By neutral type; a type the backend does not list falls back to core's defaults. */
  types: Partial<Record<NeutralType, TsType>>;
  /** By native type name, checked first (BSON `timestamp`, Firestore `GeoPoint`, …). */
  native?: Readonly<Record<string, TsType>>;
  /** Helper declarations such as `Interval`: name → the TypeScript that declares it. */
  declarations?: Readonly<Record<string, string>>;
  /**
   * Helper schemas for the zod target such as `IntervalSchema`: name → the TypeScript that declares it (it
   * may use `z`, the TypeScript `declarations` it names in `needs`, and the helper schemas it names in `uses`).
   */
  zodDeclarations?: Readonly<Record<string, { text: string; needs?: readonly string[]; uses?: readonly string[] }>>;
  /** Fields the driver or server fills in when an insert leaves them out (MongoDB's `_id`). */
  generatedKeys?: readonly string[];
}

/** A codegen target a backend offers; its code is loaded only when it is generated. */
export interface TargetOffer {
  id: string;
  label: string;
  description: string;
  /** Part of the default selection. */
  default?: boolean;
  /** Targets whose files this one imports; they are generated too. */
  requires?: readonly string[];
  load(): Promise<CodegenTarget>;
}

/** What a driver gets from its host, instead of globals. */
export interface HostServices {
  /** One redacted, component-tagged line to the host's log. */
  log(line: string): void;
  /** Where tokens and other secrets a session obtains are kept (OAuth2 tokens). */
  secrets: SecretStore;
  fetch: typeof fetch;
  /** REST provider definitions by id. */
  providers: ProviderLookup;
  /** Aborts connecting (and the session's work that takes no signal of its own). */
  signal?: AbortSignal;
  /** The deadline of one network step, in milliseconds. */
  timeoutMs: number;
}

export interface ProviderLookup {
  get(id: string): ProviderLookupResult | Promise<ProviderLookupResult>;
}
export type ProviderLookupResult = { definition: ProviderDefinition; file?: string } | undefined;

export interface Driver {
  connect(profile: ConnectionProfile, secret: Secret, host: HostServices): Promise<Session>;
  /** Releases what the driver holds for the whole process (an embedded database), at shutdown. */
  dispose?(): Promise<void>;
  /** Text to copy for an entity or field, quoted by the driver's own rules (Copy Name, Copy SELECT). */
  snippets?: Snippets;
}

export interface Snippets {
  /** The entity (or one of its fields) as the query language names it: `"public"."Orders"`, `db.orders`. */
  name(ref: EntityRef, field?: string): string;
  /** A ready query for the entity's first rows: `SELECT … FROM … LIMIT 100`, `db.orders.find({}).limit(100)`. */
  select(ref: EntityRef, fields: readonly string[], limit: number): string;
}

/** An entity of a model: its namespace and name (and its path, for nested collections). */
export interface EntityRef {
  namespace: string;
  entity: string;
  path?: string;
}

/** One page of an entity's rows for Preview Data; every cell is JSON-safe (see toPreviewCell). */
export interface PreviewPage {
  columns: string[];
  rows: unknown[][];
  offset: number;
  /** More rows follow this page. */
  hasMore: boolean;
}

export interface IntrospectOptions {
  /** Only these namespaces (schemas, databases); applied by the backend, not after the fact. */
  include?: string[];
  exclude?: string[];
  /**
   * The model is only for generating code: a backend may leave out what generated code never depends on (not
   * in the fingerprint or the snapshot: indexes), and save the catalog reads. PostgreSQL skips its indexes
   * query, the slowest of its seven at 10,000 tables. The schema service never caches such a model (it is
   * a filtered read), so the tree never shows one.
   */
  forGeneration?: boolean;
  /**
   * On the extension host: long work on this thread (building a big model from what the server sent) is done in
   * slices that yield to the event loop (`Slicer`), so reading a 5,000-table schema never holds the editor.
   */
  sliced?: boolean;
}

/** Progress of long work: a short message and, when known, the share done so far (0..1). */
export type ProgressReporter = (message: string, fraction?: number) => void;

export interface Session {
  readonly profile: ConnectionProfile;
  ping(signal?: AbortSignal): Promise<HealthReport>;
  introspect(opts: IntrospectOptions, progress?: ProgressReporter, signal?: AbortSignal): Promise<SchemaModel>;
  /** Round trips made on this session so far (catalog queries, requests); the benchmark reads it. */
  readonly queryCount: number;
  /** The first rows of an entity, one page at a time (backends with the `preview` capability). */
  preview?(ref: EntityRef, page: { limit: number; offset: number }, signal?: AbortSignal): Promise<PreviewPage>;
  /** The entity's definition as its server would write it (SQL DDL), where the backend has one. */
  ddl?(ref: EntityRef, signal?: AbortSignal): Promise<string>;
  /**
   * Optional: tells `listener.change` when the schema may have changed, until the returned handle is closed,
   * so a watcher can re-introspect at once instead of at its next poll. PostgreSQL listens (on a connection
   * of its own) for `NOTIFY plugboard_ddl`, sent by an event trigger the user may install. Resolves once
   * listening; rejects (with a PlugboardError) when the backend cannot listen now. `listener.lost` is told
   * when the feed breaks later; the watcher then polls and subscribes again after its next good round.
   * Backends without a change feed leave it out.
   */
  watchSchema?(listener: SchemaChangeListener, signal?: AbortSignal): Promise<SchemaSubscription>;
  /** Bounded by a deadline: a stalled server never keeps the caller waiting. */
  close(): Promise<void>;
}

export interface SchemaChangeListener {
  /** Something may have changed; `detail` is what the backend said (a DDL command tag). */
  change(detail?: string): void;
  lost(error: Error): void;
}

export interface SchemaSubscription {
  /** Stops listening; bounded by a deadline. */
  close(): Promise<void>;
}
