import { fieldsFromJsonSchema, type InferResult } from '../../core/introspect/infer';
import type { Entity, Field, Index } from '../../core/model';
import { BSON_SCHEMA_HINTS } from './classifier';
import { SYSTEM_DATABASES } from './options';

/**
 * The pure half of introspection: what listCollections and listIndexes said, and what sampling found, as
 * SchemaModel entities. No driver in here (tests feed it plain documents).
 */
type Doc = Record<string, unknown>;

/** One entry of listCollections. */
export interface CollectionInfo {
  name: string;
  type?: string;
  options?: Doc;
}

export type CollectionKind = 'collection' | 'view' | 'timeseries';

export function kindOf(info: CollectionInfo): CollectionKind {
  if (info.type === 'view') return 'view';
  if (info.type === 'timeseries' || isDoc(info.options?.timeseries)) return 'timeseries';
  return 'collection';
}

/** Collections Plugboard describes: not `system.*` (views' definitions, time series buckets, profiles…). */
export function isUserCollection(info: CollectionInfo): boolean {
  return !info.name.startsWith('system.');
}

/** The `$jsonSchema` of a validator that is enforced, if the collection has one. */
export function jsonSchemaOf(info: CollectionInfo): Doc | undefined {
  const validator = info.options?.validator;
  if (!isDoc(validator) || !isDoc(validator.$jsonSchema)) return undefined;
  return info.options?.validationLevel === 'off' ? undefined : validator;
}

/** What introspection learned about one collection or view. */
export interface CollectionFacts {
  info: CollectionInfo;
  /** listIndexes (collections only). */
  indexes?: Doc[];
  /** estimatedDocumentCount (plain and capped collections only: on views it would run the pipeline). */
  rows?: number;
  /** The inferred fields when there was no validator; `size` is what was asked for. */
  sample?: { result: InferResult; size: number };
}

/** Every document has an `_id`; when neither the validator nor a sample says its type, the driver's default. */
const DEFAULT_ID: Field = {
  name: '_id',
  type: 'objectid',
  nativeType: 'objectId',
  nullable: false,
  comment: 'Not described by the validator or seen in a sample: ObjectId, what the driver gives a new document.',
};

export function entityFrom(facts: CollectionFacts): Entity {
  const { info } = facts;
  const kind = kindOf(info);
  const schema = jsonSchemaOf(info);
  let fields: Field[];
  const entity: Entity = { name: info.name, kind: kind === 'view' ? 'view' : 'collection', fields: [], primaryKey: null, uniques: [], indexes: [], relations: [] };
  if (schema && kind !== 'view') {
    fields = fieldsFromJsonSchema(schema, BSON_SCHEMA_HINTS);
    entity.origin = 'validator';
  } else {
    fields = facts.sample?.result.fields ?? [];
    entity.origin = 'sample';
  }
  const id = fields.find((f) => f.name === '_id');
  if (kind !== 'view' && !id) fields = [{ ...DEFAULT_ID }, ...fields];
  // Whatever a validator or a sample says, a stored document always has its `_id`.
  else if (kind !== 'view' && id && (id.optional || id.nullable)) fields = fields.map((f) => (f === id ? { ...f, optional: false } : f));
  entity.fields = fields;
  if (kind !== 'view') entity.primaryKey = { name: '_id_', columns: ['_id'] };
  entity.indexes = (facts.indexes ?? []).map(indexFrom).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const details = detailsOf(info, kind);
  if (Object.keys(details).length) entity.details = details;
  const stats: NonNullable<Entity['stats']> = {};
  if (facts.rows !== undefined) stats.rows = facts.rows;
  if (facts.sample && entity.origin === 'sample') stats.sample = { size: facts.sample.size, seen: facts.sample.result.seen };
  if (Object.keys(stats).length) entity.stats = stats;
  return entity;
}

function detailsOf(info: CollectionInfo, kind: CollectionKind): NonNullable<Entity['details']> {
  const o = info.options ?? {};
  const out: NonNullable<Entity['details']> = {};
  if (kind === 'view') {
    if (typeof o.viewOn === 'string') out.viewOn = o.viewOn;
    if (Array.isArray(o.pipeline)) out.pipeline = JSON.stringify(o.pipeline, plainJson);
  }
  if (kind === 'timeseries' && isDoc(o.timeseries)) {
    out.timeseries = true;
    for (const key of ['timeField', 'metaField', 'granularity'] as const) {
      const v = o.timeseries[key];
      if (typeof v === 'string') out[key] = v;
    }
  }
  if (o.capped === true) {
    out.capped = true;
    if (typeof o.size === 'number') out.size = o.size;
    if (typeof o.max === 'number' && o.max > 0) out.max = o.max;
  }
  if (jsonSchemaOf(info)) {
    if (typeof o.validationLevel === 'string') out.validationLevel = o.validationLevel;
    if (typeof o.validationAction === 'string') out.validationAction = o.validationAction;
  }
  return out;
}

/** listIndexes' spec as a model index: key fields in order (a text index's fields from its weights). */
export function indexFrom(spec: Doc): Index {
  const key = isDoc(spec.key) ? spec.key : {};
  const name = typeof spec.name === 'string' ? spec.name : JSON.stringify(key, plainJson);
  const values = Object.values(key);
  const isText = '_fts' in key;
  const columns = isText ? textColumns(key, spec.weights) : Object.keys(key);
  const method = isText ? 'text' : (values.find((v): v is string => typeof v === 'string') ?? (Object.keys(key).some((k) => k.endsWith('$**')) ? 'wildcard' : undefined));
  const options: NonNullable<Index['options']> = { key: JSON.stringify(key, plainJson) };
  if (typeof spec.expireAfterSeconds === 'number') options.expireAfterSeconds = spec.expireAfterSeconds;
  if (spec.sparse === true) options.sparse = true;
  if (spec.hidden === true) options.hidden = true;
  if (isDoc(spec.partialFilterExpression)) options.partialFilterExpression = JSON.stringify(spec.partialFilterExpression, plainJson);
  const index: Index = { name, columns, unique: spec.unique === true || name === '_id_', primary: name === '_id_', options };
  if (method) index.method = method;
  return index;
}

/** A text index stores its fields as weights (`{ _fts: 'text', _ftsx: 1 }` in the key): the key's other fields keep their place. */
function textColumns(key: Doc, weights: unknown): string[] {
  const textFields = isDoc(weights) ? Object.keys(weights).sort() : [];
  const out: string[] = [];
  for (const k of Object.keys(key)) {
    if (k === '_fts') out.push(...textFields);
    else if (k !== '_ftsx') out.push(k);
  }
  return out;
}

/** bson's wrappers in catalog documents (a Long size, an ObjectId in a filter) as plain JSON. */
function plainJson(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && typeof (value as { _bsontype?: unknown })._bsontype === 'string') {
    const v = value as { toJSON?: () => unknown; toString(): string };
    return typeof v.toJSON === 'function' ? v.toJSON() : v.toString();
  }
  return value;
}

export interface DatabaseFilter {
  include?: string[];
  exclude?: string[];
}

/**
 * Which of the server's databases to read: the caller's filter, else the profile's, else the URL's database
 * alone, else all but admin, config and local (those only when `include` names them).
 */
export function databasesToRead(listed: readonly string[], filter: DatabaseFilter, defaultDatabase: string | undefined): string[] {
  const include = filter.include?.length ? new Set(filter.include) : defaultDatabase && !filter.exclude?.length ? new Set([defaultDatabase]) : undefined;
  const exclude = new Set(filter.exclude ?? []);
  const system = new Set<string>(SYSTEM_DATABASES);
  return [...new Set(listed)]
    .filter((name) => (include ? include.has(name) : !system.has(name)) && !exclude.has(name))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isDoc(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
