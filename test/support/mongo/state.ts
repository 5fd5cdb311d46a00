/**
 * The stand-in's catalog and data: databases → collections (plain, capped, time series) and views, each with
 * its documents (BSON-typed, see values.ts) and index specs. A database exists while it holds a collection,
 * as in mongod. Time series collections keep their measurements as plain documents (no buckets).
 */
import { Binary, deserialize, ObjectId, serialize, UUID } from 'bson';
import { CommandError } from './errors';
import type { Doc } from './values';

export type CollectionKind = 'collection' | 'view' | 'timeseries';

export interface CollectionState {
  readonly name: string;
  readonly kind: CollectionKind;
  /** As `create` received them (minus the command's own fields), with time series defaults filled in. */
  readonly options: Doc;
  readonly uuid: Binary;
  docs: Doc[];
  indexes: Doc[];
}

export type DatabaseState = Map<string, CollectionState>;

/** The BSON decoding every stored value goes through: numeric types and regex flags survive as sent. */
export const STORED_BSON = { promoteValues: false, bsonRegExp: true } as const;

export const ID_INDEX: Doc = { v: 2, key: { _id: 1 }, name: '_id_' };

const BUCKET_SPAN: Record<string, number> = { seconds: 3600, minutes: 86400, hours: 2592000 };

function timeseriesDefaults(timeseries: Doc): Doc {
  if (timeseries.bucketMaxSpanSeconds !== undefined) return timeseries;
  const granularity = typeof timeseries.granularity === 'string' ? timeseries.granularity : 'seconds';
  return { ...timeseries, granularity, bucketMaxSpanSeconds: BUCKET_SPAN[granularity] ?? 3600 };
}

/** Since 6.3 mongod gives a time series with a metaField an index on { metaField: 1, timeField: 1 }. */
function timeseriesIndexes(timeseries: Doc): Doc[] {
  const { metaField, timeField } = timeseries;
  if (typeof metaField !== 'string' || typeof timeField !== 'string') return [];
  return [{ v: 2, key: { [metaField]: 1, [timeField]: 1 }, name: `${metaField}_1_${timeField}_1` }];
}

export function checkName(db: string, name: unknown): string {
  if (typeof name !== 'string' || !name || name.includes('\0') || name.startsWith('$')) {
    throw new CommandError('InvalidNamespace', `Invalid collection name: ${String(name)}`);
  }
  if (!db || /[/\\. "$\0]/.test(db)) throw new CommandError('InvalidNamespace', `Invalid database name: '${db}'`);
  return name;
}

export class StandinState {
  readonly databases = new Map<string, DatabaseState>();

  collection(db: string, name: string): CollectionState | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** A collection or view that must exist (views included). */
  requireCollection(db: string, name: string): CollectionState {
    const found = this.collection(db, name);
    if (!found) throw new CommandError('NamespaceNotFound', `ns does not exist: ${db}.${name}`);
    return found;
  }

  /** A collection that takes writes and indexes: created on first use, a view is refused. */
  writableCollection(db: string, name: string): CollectionState {
    const found = this.collection(db, name) ?? this.create(db, name, {});
    if (found.kind === 'view') throw new CommandError('CommandNotSupportedOnView', `Namespace ${db}.${name} is a view, not a collection`);
    return found;
  }

  create(db: string, name: string, options: Doc): CollectionState {
    checkName(db, name);
    if (this.collection(db, name)) throw new CommandError('NamespaceExists', `Collection ${db}.${name} already exists.`);
    const kind: CollectionKind = options.viewOn !== undefined ? 'view' : options.timeseries !== undefined ? 'timeseries' : 'collection';
    const stored: Doc = { ...options };
    if (kind === 'view') {
      if (typeof options.viewOn !== 'string') throw new CommandError('BadValue', "'viewOn' must be a string");
      stored.pipeline = Array.isArray(options.pipeline) ? options.pipeline : [];
    }
    if (kind === 'timeseries') stored.timeseries = timeseriesDefaults(options.timeseries as Doc);
    if (options.capped && options.size === undefined) throw new CommandError('InvalidOptions', "the 'size' field is required when 'capped' is true");
    const collection: CollectionState = { name, kind, options: stored, uuid: new UUID(), docs: [], indexes: kind === 'collection' ? [ID_INDEX] : kind === 'timeseries' ? timeseriesIndexes(stored.timeseries as Doc) : [] };
    let database = this.databases.get(db);
    if (!database) this.databases.set(db, (database = new Map()));
    database.set(name, collection);
    return collection;
  }

  drop(db: string, name: string): CollectionState | undefined {
    const database = this.databases.get(db);
    const found = database?.get(name);
    if (!database || !found) return undefined;
    database.delete(name);
    if (database.size === 0) this.databases.delete(db);
    return found;
  }

  dropDatabase(db: string): void {
    this.databases.delete(db);
  }

  /**
   * Seeds documents directly (no wire round trip). They are copied through BSON, so they are stored exactly as
   * if a client had inserted them; documents without `_id` get an ObjectId, as the driver would add.
   */
  seed(db: string, name: string, docs: Doc[]): void {
    const collection = this.writableCollection(db, name);
    for (const doc of docs) collection.docs.push(deserialize(serialize(withId(doc)), STORED_BSON));
  }
}

/** `_id` first, an ObjectId when there is none — what the driver and mongod do for inserts. */
export function withId(doc: Doc): Doc {
  return { _id: doc._id === undefined ? new ObjectId() : doc._id, ...doc };
}
