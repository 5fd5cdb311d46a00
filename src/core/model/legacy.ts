import type { Entity, Field, Index, Namespace, SchemaModel } from './schema';
import { SCHEMA_MODEL_VERSION } from './schema';

/**
 * Plugboard 0.1.0 wrote version-1 models into `plugboard.schema.json` and hashed them into file headers. Two
 * conversions keep those files working: a v1 snapshot is read as a v2 model (for "what changed" summaries),
 * and a v2 model can be projected back to exactly what 0.1.0 hashed (so a file it generated is not reported
 * as drifted only because the model and its hashing changed).
 */
interface V1Field {
  name: string;
  nativeType: string;
  type: Field['type'];
  arrayDims?: number;
  nullable: boolean;
  default?: string | null;
  identity?: 'always' | 'by_default' | null;
  generated?: 'stored' | 'virtual' | null;
  enumRef?: Field['enumRef'];
  compositeRef?: Field['compositeRef'];
  domainRef?: Field['enumRef'];
  comment?: string;
  confidence?: number;
}

type V1Model = { version: 1; source: SchemaModel['source']; namespaces: unknown[] };

export function isV1Model(value: unknown): value is V1Model {
  return !!value && typeof value === 'object' && (value as { version?: unknown }).version === 1 && Array.isArray((value as { namespaces?: unknown }).namespaces);
}

/** A v1 model (as 0.1.0 wrote it) in the v2 shape; the caller validates the result with SchemaModel. */
export function upgradeV1Model(v1: V1Model): unknown {
  const field = (f: V1Field): Field => {
    const { arrayDims, default: def, identity, generated, domainRef, ...rest } = f;
    const sql = { default: def ?? null, identity: identity ?? null, generated: generated ?? null, arrayDims: arrayDims ?? 0, ...(domainRef ? { domainRef } : {}) };
    return { ...rest, sql };
  };
  const namespaces = (v1.namespaces as Record<string, unknown>[]).map((ns) => ({
    ...ns,
    entities: ((ns.entities as Record<string, unknown>[] | undefined) ?? []).map((e) => ({ ...e, fields: (e.fields as V1Field[]).map(field) })),
    composites: ((ns.composites as Record<string, unknown>[] | undefined) ?? []).map((c) => ({ ...c, fields: (c.fields as V1Field[]).map(field) })),
  }));
  return { ...v1, version: SCHEMA_MODEL_VERSION, namespaces };
}

/** The v1 form of a field, with every default 0.1.0's schema filled in (it hashed parsed, defaulted data). */
function v1Field(f: Field): V1Field {
  const sql = f.sql;
  const out: V1Field = {
    name: f.name,
    nativeType: f.nativeType,
    type: f.type,
    arrayDims: sql?.arrayDims ?? 0,
    // A nullability worked out by tracing (view columns) was unknown to 0.1.0, which read every view column
    // as nullable, as the catalog declares it.
    nullable: f.nullability !== undefined ? true : f.nullable,
    default: sql?.default ?? null,
    identity: sql?.identity ?? null,
    generated: sql?.generated ?? null,
  };
  if (f.enumRef) out.enumRef = f.enumRef;
  if (f.compositeRef) out.compositeRef = f.compositeRef;
  if (sql?.domainRef) out.domainRef = sql.domainRef;
  if (f.comment !== undefined) out.comment = f.comment;
  if (f.confidence !== undefined) out.confidence = f.confidence;
  return out;
}

function v1Index(i: Index) {
  return { name: i.name, columns: i.columns, unique: i.unique, primary: i.primary, method: i.method, predicate: i.predicate };
}

function v1Entity(e: Entity) {
  return {
    name: e.name,
    kind: e.kind,
    fields: e.fields.map(v1Field),
    primaryKey: e.primaryKey,
    uniques: e.uniques,
    indexes: e.indexes.map(v1Index),
    relations: e.relations,
    comment: e.comment,
    endpoint: e.endpoint,
  };
}

function v1Namespace(ns: Namespace) {
  return {
    name: ns.name,
    entities: ns.entities.map(v1Entity),
    enums: ns.enums,
    domains: ns.domains,
    composites: ns.composites.map((c) => ({ name: c.name, fields: c.fields.map(v1Field), comment: c.comment })),
  };
}

/** What 0.1.0 hashed for this schema: its normalised v1 model (see fingerprint.ts for the order). */
export function v1Projection(model: SchemaModel): { version: 1; source: SchemaModel['source']; namespaces: ReturnType<typeof v1Namespace>[] } {
  return { version: 1, source: model.source, namespaces: model.namespaces.map(v1Namespace) };
}
