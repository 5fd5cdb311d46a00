import { lazySchema } from '../lazy';
import { z } from '../zod';
import { ProviderSource } from './provider';

/**
 * The backend-neutral description of a data source (version 2). Every backend produces it; codegen, the drift
 * check, the tree and the docs consume it. It is plain data: it can be serialised, diffed and fingerprinted.
 *
 * It fits tables and documents alike: a field may be `optional` (absent from some documents) apart from
 * `nullable`, may hold nested `fields` (objects, maps), an array's element shape (`items`), or an observed
 * union (`types`). Facets only SQL has (defaults, identity, generated columns, domains, array dimensions) are
 * grouped under `sql`; entities that were sampled carry `stats.sample`.
 */
export const NEUTRAL_TYPES = [
  'string',
  'integer',
  'bigint',
  'decimal',
  'float',
  'boolean',
  'date',
  'timestamp',
  'timestamptz',
  'time',
  'interval',
  'uuid',
  'json',
  'bytes',
  'enum',
  'composite',
  'object',
  'array',
  'objectid',
  'geopoint',
  'reference',
  'null',
  'unknown',
] as const;
export const NeutralType = lazySchema(() => z.enum(NEUTRAL_TYPES));
export type NeutralType = z.infer<typeof NeutralType>;

export const TypeRef = lazySchema(() => z.object({ namespace: z.string(), name: z.string() }));
export type TypeRef = z.infer<typeof TypeRef>;

/** What the SQL catalog says about a column beyond its type. */
export const SqlFacets = lazySchema(() => z.object({
  /** The default expression as the server prints it, e.g. `nextval('s'::regclass)` or `CURRENT_TIMESTAMP`. */
  default: z.string().nullable().default(null),
  identity: z.enum(['always', 'by_default']).nullable().default(null),
  /** A computed column: never writable. */
  generated: z.enum(['stored', 'virtual']).nullable().default(null),
  /** MySQL AUTO_INCREMENT and the like: filled in by the server on insert, but writable. */
  autoIncrement: z.boolean().optional(),
  domainRef: TypeRef.optional(),
  /** 0 for a scalar, n for an n-dimensional array (PostgreSQL arrays). */
  arrayDims: z.number().int().min(0).default(0),
  /**
   * A view's column that shows a table's column as it is (through views over views): that column. PostgREST
   * derives a view's relationships from its tables' keys this way, so generated Supabase types need it.
   */
  origin: z.object({ namespace: z.string(), entity: z.string(), column: z.string() }).optional(),
}));
export type SqlFacets = z.infer<typeof SqlFacets>;

/** The shape of a value, without a name: an array's elements, one alternative of a union. */
export interface ValueShape {
  type: NeutralType;
  nativeType?: string;
  /** Members of an object or map (type `object`); absent means an open object (`Json`). */
  fields?: Field[];
  /** Element shape of a document array (type `array`); absent means elements of any type. */
  items?: ValueShape;
  /** An observed union: the value is one of these (`string | number`); `type` is then the most common one. */
  types?: ValueShape[];
  enumRef?: TypeRef;
  compositeRef?: TypeRef;
  /** An inline enumeration (MySQL ENUM, a JSON Schema `enum`): the value is one of these strings. */
  values?: string[];
  /** For `reference`: the collection path the referenced documents live in, when it is consistent. */
  refPath?: string;
}

export interface Field extends ValueShape {
  name: string;
  /** The backend's own spelling of the type, e.g. `character varying(20)`, `integer[]` or `objectId`. */
  nativeType: string;
  /** The value may be null. */
  nullable: boolean;
  /** The value may be absent (documents); columns are never optional. */
  optional?: boolean;
  comment?: string;
  /**
   * Why `nullable` is what it is, when it was worked out rather than declared: a view column traced to the
   * column it comes from (`not null: from public.users.id`, `nullable: outer side of a LEFT JOIN`). Shown
   * in generated JSDoc.
   */
  nullability?: string;
  /** For inferred schemas: share of sampled documents where the field was present with this type, 0..1. */
  confidence?: number;
  sql?: SqlFacets;
}

export const ValueShape: z.ZodType<ValueShape> = lazySchema(() => z.lazy(() =>
  z.object({
    type: NeutralType,
    nativeType: z.string().optional(),
    fields: z.array(Field).optional(),
    items: ValueShape.optional(),
    types: z.array(ValueShape).optional(),
    enumRef: TypeRef.optional(),
    compositeRef: TypeRef.optional(),
    values: z.array(z.string()).optional(),
    refPath: z.string().optional(),
  }),
) as z.ZodType<ValueShape>);

export const Field: z.ZodType<Field> = lazySchema(() => z.lazy(() =>
  z.object({
    name: z.string(),
    nativeType: z.string(),
    type: NeutralType,
    nullable: z.boolean(),
    optional: z.boolean().optional(),
    fields: z.array(Field).optional(),
    items: ValueShape.optional(),
    types: z.array(ValueShape).optional(),
    enumRef: TypeRef.optional(),
    compositeRef: TypeRef.optional(),
    values: z.array(z.string()).optional(),
    refPath: z.string().optional(),
    comment: z.string().optional(),
    nullability: z.string().optional(),
    confidence: z.number().min(0).max(1).optional(),
    sql: SqlFacets.optional(),
  }),
) as z.ZodType<Field>);

export const KeyConstraint = lazySchema(() => z.object({ name: z.string(), columns: z.array(z.string()) }));
export type KeyConstraint = z.infer<typeof KeyConstraint>;

export const Index = lazySchema(() => z.object({
  name: z.string(),
  /** Column names; an expression column is given as its SQL text. */
  columns: z.array(z.string()),
  unique: z.boolean(),
  primary: z.boolean().default(false),
  /** btree, gin, FULLTEXT, text, 2dsphere, … */
  method: z.string().optional(),
  predicate: z.string().optional(),
  /** Backend extras: prefix lengths, TTL seconds, … */
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
}));
export type Index = z.infer<typeof Index>;

export const FK_ACTIONS = ['no_action', 'restrict', 'cascade', 'set_null', 'set_default'] as const;
export const Relation = lazySchema(() => z.object({
  name: z.string(),
  columns: z.array(z.string()),
  target: z.object({ namespace: z.string(), entity: z.string(), columns: z.array(z.string()) }),
  onDelete: z.enum(FK_ACTIONS).default('no_action'),
  onUpdate: z.enum(FK_ACTIONS).default('no_action'),
}));
export type Relation = z.infer<typeof Relation>;

export const ENTITY_KINDS = [
  'table',
  'partitioned_table',
  'foreign_table',
  'view',
  'materialized_view',
  'collection',
  'endpoint',
] as const;
export const EntityKind = lazySchema(() => z.enum(ENTITY_KINDS));
export type EntityKind = z.infer<typeof EntityKind>;

export const Endpoint = lazySchema(() => z.object({
  method: z.string(),
  path: z.string(),
  operationId: z.string().optional(),
  summary: z.string().optional(),
  /** JSON Schema of the request body and of the main success response, already dereferenced. */
  requestSchema: z.unknown().optional(),
  responseSchema: z.unknown().optional(),
  parameters: z
    .array(z.object({ name: z.string(), in: z.string(), required: z.boolean(), schema: z.unknown().optional() }))
    .default([]),
}));
export type Endpoint = z.infer<typeof Endpoint>;

export const CheckConstraint = lazySchema(() => z.object({ name: z.string(), expression: z.string() }));
export type CheckConstraint = z.infer<typeof CheckConstraint>;

export const WRITE_COMMANDS = ['insert', 'update', 'delete'] as const;

/** A row-level security policy as PostgreSQL stores it (pg_policy). */
export const RlsPolicy = lazySchema(() => z.object({
  name: z.string(),
  command: z.enum(['all', 'select', 'insert', 'update', 'delete']),
  /** Permissive policies are OR-ed together; restrictive ones are AND-ed onto them. */
  permissive: z.boolean(),
  /** Role names; `public` means every role. */
  roles: z.array(z.string()),
  /** The USING expression as the server prints it (`true`, `(owner = auth.uid())`), or null. */
  using: z.string().nullable(),
  withCheck: z.string().nullable(),
}));
export type RlsPolicy = z.infer<typeof RlsPolicy>;

/**
 * Row-level security of a table, and what the API roles (Supabase's `anon`, `authenticated`) may do with it:
 * facts for the RLS advisor, not for generated types, so never part of the fingerprint (like `stats`).
 */
export const RowSecurity = lazySchema(() => z.object({
  enabled: z.boolean(),
  /** Applies to the table's owner too. */
  forced: z.boolean().optional(),
  policies: z.array(RlsPolicy),
  /** Table privileges by role name, for the roles that exist (`anon: ['select', 'insert']`). */
  grants: z.record(z.string(), z.array(z.enum(['select', ...WRITE_COMMANDS]))).optional(),
}));
export type RowSecurity = z.infer<typeof RowSecurity>;

/** Facts about the data, not its shape: never part of the fingerprint. */
export const EntityStats = lazySchema(() => z.object({
  /** The server's row or document count estimate. */
  rows: z.number().optional(),
  /** For inferred schemas: how many documents were asked for and how many were seen. */
  sample: z.object({ size: z.number().int().min(0), seen: z.number().int().min(0) }).optional(),
}));
export type EntityStats = z.infer<typeof EntityStats>;

export const Entity = lazySchema(() => z.object({
  name: z.string(),
  kind: EntityKind,
  fields: z.array(Field),
  primaryKey: KeyConstraint.nullable().default(null),
  uniques: z.array(KeyConstraint).default([]),
  indexes: z.array(Index).default([]),
  relations: z.array(Relation).default([]),
  comment: z.string().optional(),
  endpoint: Endpoint.optional(),
  /** Where the entity lives, for nested collections: `users/{userId}/orders`. */
  path: z.string().optional(),
  /** The entity this one is nested under (a Firestore subcollection's parent collection). */
  parent: z.object({ namespace: z.string(), entity: z.string() }).optional(),
  /** How the fields were learned: from a declared schema (exact) or a sample (with confidence). */
  origin: z.enum(['catalog', 'validator', 'sample', 'declared']).optional(),
  /** Descriptive facts shown to people (capped, time series, view over …); part of the fingerprint. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  sql: z
    .object({
      /** A view the server can write through (INSERT/UPDATE/DELETE reach its base table). */
      updatable: z.boolean().optional(),
      /** Writes a view takes only through INSTEAD OF triggers or unconditional INSTEAD rules. */
      insteadOf: z.array(z.enum(WRITE_COMMANDS)).optional(),
      checks: z.array(CheckConstraint).optional(),
    })
    .optional(),
  /** Row-level security (PostgreSQL tables, when the backend reads it): not part of the fingerprint. */
  rls: RowSecurity.optional(),
  stats: EntityStats.optional(),
}));
export type Entity = z.infer<typeof Entity>;

export const EnumType = lazySchema(() => z.object({ name: z.string(), values: z.array(z.string()), comment: z.string().optional() }));
export type EnumType = z.infer<typeof EnumType>;

export const DomainType = lazySchema(() => z.object({
  name: z.string(),
  baseType: z.string(),
  type: NeutralType,
  arrayDims: z.number().int().min(0).default(0),
  nullable: z.boolean(),
  default: z.string().nullable().default(null),
  enumRef: TypeRef.optional(),
  comment: z.string().optional(),
}));
export type DomainType = z.infer<typeof DomainType>;

export const CompositeType = lazySchema(() => z.object({ name: z.string(), fields: z.array(Field), comment: z.string().optional() }));
export type CompositeType = z.infer<typeof CompositeType>;

/** A function argument: a field with how it is passed. */
export const RoutineArg = lazySchema(() => z.intersection(
  Field,
  z.object({ mode: z.enum(['in', 'inout', 'variadic']).default('in'), hasDefault: z.boolean().default(false) }),
));
export type RoutineArg = z.infer<typeof RoutineArg>;

/** A server-side function (PostgreSQL, a Supabase RPC). Overloads share a name and differ in `args`. */
export const Routine = lazySchema(() => z.object({
  name: z.string(),
  args: z.array(RoutineArg).default([]),
  returns: z.object({
    /** `setof`/`table(…)`: many rows; otherwise one value. */
    set: z.boolean(),
    /** `void`, a scalar (`type`), a row of named columns (`table(…)` or OUT parameters), or a table's row type. */
    kind: z.enum(['void', 'scalar', 'columns', 'entity']),
    type: Field.optional(),
    fields: z.array(Field).optional(),
    entity: z.object({ namespace: z.string(), entity: z.string() }).optional(),
  }),
  volatility: z.enum(['immutable', 'stable', 'volatile']).optional(),
  /** A PostgreSQL procedure: run with CALL, not SELECT (and PostgREST cannot call it). */
  procedure: z.boolean().optional(),
  comment: z.string().optional(),
}));
export type Routine = z.infer<typeof Routine>;

export const Namespace = lazySchema(() => z.object({
  name: z.string(),
  entities: z.array(Entity).default([]),
  enums: z.array(EnumType).default([]),
  domains: z.array(DomainType).default([]),
  composites: z.array(CompositeType).default([]),
  functions: z.array(Routine).default([]),
}));
export type Namespace = z.infer<typeof Namespace>;

export const SCHEMA_MODEL_VERSION = 2;

export const SchemaModel = lazySchema(() => z.object({
  version: z.literal(SCHEMA_MODEL_VERSION),
  source: z.object({
    kind: z.string(),
    database: z.string().optional(),
    serverVersion: z.string().optional(),
    /** For REST providers: the non-secret auth, URL and rate-limit settings generated clients build in. */
    provider: ProviderSource.optional(),
  }),
  namespaces: z.array(Namespace),
}));
export type SchemaModel = z.infer<typeof SchemaModel>;

export function emptyModel(kind: string): SchemaModel {
  return { version: SCHEMA_MODEL_VERSION, source: { kind }, namespaces: [] };
}

/** The SQL facets of a field, with their defaults when it has none (documents, endpoints). */
export function sqlOf(field: Pick<Field, 'sql'>): SqlFacets {
  return field.sql ?? NO_SQL;
}
const NO_SQL: SqlFacets = Object.freeze({ default: null, identity: null, generated: null, arrayDims: 0 }) as SqlFacets;
