import type { Db, Document, MongoClient } from 'mongodb';
import type { ProgressReporter } from '../../core/backend';
import { mapLimited } from '../../core/concurrency';
import { throwIfAborted } from '../../core/errors';
import { DocumentInference } from '../../core/introspect/infer';
import type { Entity, Namespace, SchemaModel } from '../../core/model';
import { bsonClassifier } from './classifier';
import { databasesToRead, entityFrom, isUserCollection, jsonSchemaOf, kindOf, type CollectionFacts, type CollectionInfo, type DatabaseFilter } from './model';

/**
 * Runs one network step with the session's deadline, cancellation and error classification. `work` gets the
 * caller's signal for the driver calls that take one (command, listCollections, aggregate); listIndexes and
 * estimatedDocumentCount take none, so an abort only stops waiting for them (they are short on the server).
 */
export type Step = <T>(what: string, work: (signal: AbortSignal | undefined) => Promise<T>, ms?: number) => Promise<T>;

export interface IntrospectPlan {
  filter: DatabaseFilter;
  defaultDatabase?: string;
  sampleSize: number;
  maxTimeMS: number;
  /** Collections worked on at once (the pool's size: more would only queue for a connection). */
  concurrency: number;
  /** The client-side deadline of one step; a sampling step gets `maxTimeMS` on top. */
  stepMs: number;
}

/**
 * Reads the server: listDatabases and buildInfo once, listCollections once per database (with each
 * collection's options: validator, view definition, capped, time series), then per collection listIndexes,
 * estimatedDocumentCount and one `$sample` aggregate. MongoDB has no command that lists the indexes or counts
 * of a whole database, and documents live in their collection, so those steps are per collection by nature;
 * they run `concurrency` at a time. A collection with an enforced `$jsonSchema` validator is not sampled.
 */
export async function introspectServer(client: MongoClient, plan: IntrospectPlan, step: Step, progress?: ProgressReporter, signal?: AbortSignal): Promise<SchemaModel> {
  progress?.('Listing databases', 0);
  const admin = client.db('admin');
  const [listed, build] = await Promise.all([
    step('Listing databases', (s) => admin.command({ listDatabases: 1, nameOnly: true }, { signal: s })),
    step('Reading the server version', (s) => admin.command({ buildInfo: 1 }, { signal: s })),
  ]);
  const names = databasesToRead(((listed.databases ?? []) as { name: string }[]).map((d) => d.name), plan.filter, plan.defaultDatabase);
  const catalogs = await mapLimited(names, plan.concurrency, async (name) => {
    const db = client.db(name);
    const infos = await step(`Listing the collections of ${name}`, (s) => db.listCollections({}, { nameOnly: false, authorizedCollections: true, signal: s }).toArray());
    return { db, infos: (infos as CollectionInfo[]).filter(isUserCollection) };
  });
  const tasks = catalogs.flatMap(({ db, infos }) => infos.map((info) => ({ db, info })));
  let done = 0;
  const facts = await mapLimited(tasks, plan.concurrency, async ({ db, info }) => {
    throwIfAborted(signal);
    const result = await collectionFacts(db, info, plan, step);
    progress?.(`Read ${db.databaseName}.${info.name}`, ++done / Math.max(1, tasks.length));
    return { database: db.databaseName, entity: entityFrom(result) };
  });
  const byDatabase = new Map<string, Entity[]>(names.map((n) => [n, []]));
  for (const f of facts) byDatabase.get(f.database)!.push(f.entity);
  const namespaces: Namespace[] = names.map((name) => ({
    name,
    entities: byDatabase.get(name)!.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    enums: [],
    domains: [],
    composites: [],
    functions: [],
  }));
  const version = typeof build.version === 'string' ? `MongoDB ${build.version}` : undefined;
  return { version: 2, source: { kind: 'mongodb', ...(plan.defaultDatabase ? { database: plan.defaultDatabase } : {}), ...(version ? { serverVersion: version } : {}) }, namespaces };
}

async function collectionFacts(db: Db, info: CollectionInfo, plan: IntrospectPlan, step: Step): Promise<CollectionFacts> {
  const kind = kindOf(info);
  const where = `${db.databaseName}.${info.name}`;
  const collection = db.collection(info.name);
  const sampled = !jsonSchemaOf(info) || kind === 'view';
  // One after the other: `concurrency` collections at a time is then `concurrency` commands in flight, one per
  // pooled connection, and no step spends its deadline queued behind another collection's sampling.
  const indexes = kind === 'view' ? undefined : await step(`Listing the indexes of ${where}`, () => collection.listIndexes().toArray());
  const rows = kind === 'collection' ? await step(`Counting ${where}`, () => collection.estimatedDocumentCount({ maxTimeMS: plan.maxTimeMS })) : undefined;
  const sample = sampled ? await step(`Sampling ${where}`, (s) => sampleCollection(db, info.name, plan, s), plan.stepMs + plan.maxTimeMS) : undefined;
  const facts: CollectionFacts = { info };
  if (indexes) facts.indexes = indexes as Document[];
  if (rows !== undefined) facts.rows = rows;
  if (sample) facts.sample = { result: sample, size: plan.sampleSize };
  return facts;
}

/**
 * `$sample` of `sampleSize` documents, folded into the inference as they arrive (never all held at once).
 * Numbers keep their BSON class (`promoteValues: false`) so int, long and double stay apart, and regexes their
 * flags (`bsonRegExp`); the server stops the aggregate at `maxTimeMS`.
 */
async function sampleCollection(db: Db, name: string, plan: IntrospectPlan, signal: AbortSignal | undefined) {
  const inference = new DocumentInference(bsonClassifier);
  const cursor = db.collection(name).aggregate([{ $sample: { size: plan.sampleSize } }], {
    maxTimeMS: plan.maxTimeMS,
    promoteValues: false,
    bsonRegExp: true,
    batchSize: Math.min(plan.sampleSize, 1000),
    signal,
  });
  try {
    for await (const doc of cursor) inference.add(doc);
  } finally {
    await cursor.close().catch(() => undefined);
  }
  return inference.result();
}

