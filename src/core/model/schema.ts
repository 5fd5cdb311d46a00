import { z } from 'zod';
import { ProviderSource } from './provider';

/**
 * The backend-neutral description of a data source. Every adapter produces it, codegen and the drift check
 * consume it. It is plain data: it can be serialised, diffed and fingerprinted.
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
  'null',
  'unknown',
] as const;
export const NeutralType = z.enum(NEUTRAL_TYPES);
export type NeutralType = z.infer<typeof NeutralType>;

export const TypeRef = z.object({ namespace: z.string(), name: z.string() });
export type TypeRef = z.infer<typeof TypeRef>;

export const Field = z.object({
  name: z.string(),
  /** The backend's own spelling of the type, e.g. `character varying(20)` or `integer[]`. */
  nativeType: z.string(),
  /** The neutral type of the value (of one element, for arrays). */
  type: NeutralType,
  /** 0 for a scalar, n for an n-dimensional array. */
  arrayDims: z.number().int().min(0).default(0),
  nullable: z.boolean(),
  default: z.string().nullable().default(null),
  identity: z.enum(['always', 'by_default']).nullable().default(null),
  /** A computed column: `stored` for SQL generated columns; never writable. */
  generated: z.enum(['stored', 'virtual']).nullable().default(null),
  enumRef: TypeRef.optional(),
  compositeRef: TypeRef.optional(),
  domainRef: TypeRef.optional(),
  comment: z.string().optional(),
  /** For inferred schemas (documents, samples): share of samples that agreed, 0..1. */
  confidence: z.number().min(0).max(1).optional(),
});
export type Field = z.infer<typeof Field>;

export const KeyConstraint = z.object({ name: z.string(), columns: z.array(z.string()) });
export type KeyConstraint = z.infer<typeof KeyConstraint>;

export const Index = z.object({
  name: z.string(),
  /** Column names; an expression column is given as its SQL text. */
  columns: z.array(z.string()),
  unique: z.boolean(),
  primary: z.boolean().default(false),
  method: z.string().optional(),
  predicate: z.string().optional(),
});
export type Index = z.infer<typeof Index>;

export const FK_ACTIONS = ['no_action', 'restrict', 'cascade', 'set_null', 'set_default'] as const;
export const Relation = z.object({
  name: z.string(),
  columns: z.array(z.string()),
  target: z.object({ namespace: z.string(), entity: z.string(), columns: z.array(z.string()) }),
  onDelete: z.enum(FK_ACTIONS).default('no_action'),
  onUpdate: z.enum(FK_ACTIONS).default('no_action'),
});
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
export const EntityKind = z.enum(ENTITY_KINDS);
export type EntityKind = z.infer<typeof EntityKind>;

export const Endpoint = z.object({
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
});
export type Endpoint = z.infer<typeof Endpoint>;

export const Entity = z.object({
  name: z.string(),
  kind: EntityKind,
  fields: z.array(Field),
  primaryKey: KeyConstraint.nullable().default(null),
  uniques: z.array(KeyConstraint).default([]),
  indexes: z.array(Index).default([]),
  relations: z.array(Relation).default([]),
  comment: z.string().optional(),
  endpoint: Endpoint.optional(),
});
export type Entity = z.infer<typeof Entity>;

export const EnumType = z.object({ name: z.string(), values: z.array(z.string()), comment: z.string().optional() });
export type EnumType = z.infer<typeof EnumType>;

export const DomainType = z.object({
  name: z.string(),
  baseType: z.string(),
  type: NeutralType,
  arrayDims: z.number().int().min(0).default(0),
  nullable: z.boolean(),
  default: z.string().nullable().default(null),
  enumRef: TypeRef.optional(),
  comment: z.string().optional(),
});
export type DomainType = z.infer<typeof DomainType>;

export const CompositeType = z.object({ name: z.string(), fields: z.array(Field), comment: z.string().optional() });
export type CompositeType = z.infer<typeof CompositeType>;

export const Namespace = z.object({
  name: z.string(),
  entities: z.array(Entity).default([]),
  enums: z.array(EnumType).default([]),
  domains: z.array(DomainType).default([]),
  composites: z.array(CompositeType).default([]),
});
export type Namespace = z.infer<typeof Namespace>;

export const SchemaModel = z.object({
  version: z.literal(1),
  source: z.object({
    kind: z.string(),
    database: z.string().optional(),
    serverVersion: z.string().optional(),
    /** For REST providers: the non-secret auth, URL and rate-limit settings generated clients build in. */
    provider: ProviderSource.optional(),
  }),
  namespaces: z.array(Namespace),
});
export type SchemaModel = z.infer<typeof SchemaModel>;

export function emptyModel(kind: string): SchemaModel {
  return { version: 1, source: { kind }, namespaces: [] };
}
