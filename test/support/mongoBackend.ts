/**
 * The MongoDB backend in tests: a shop database seeded through the official driver (so the same seeding runs
 * against a real mongod when PLUGBOARD_TEST_MONGO_URL is set), and profiles built the way the CLI builds
 * them, by the backend module's own `parse`.
 */
import { randomBytes } from 'node:crypto';
import { Binary, Decimal128, Double, Int32, Long, MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { mongodbBackend } from '../../src/backends/mongodb';
import type { ConnectionProfile, SchemaModel, Secret } from '../../src/core/model';
import { mongoForTests, type TestMongo } from './mongo';
import { events, orders, people } from './mongo/seed';
import { introspectOnce } from './sessions';
import { makeWorkDir } from './workdir';

/** A database name of its own for each run (drop it at the end). */
export function scratchDbName(label: string): string {
  return `pb_${label}_${randomBytes(4).toString('hex')}`;
}

/** A profile from a connection string, with extra options laid over what it parsed; the password apart. */
export function mongoProfile(url: string, extra: Record<string, unknown> = {}, id = 'mongo-test'): { profile: ConnectionProfile; secret: Secret } {
  const { options, secret } = mongodbBackend.parse(url);
  return { profile: { id, name: id, kind: 'mongodb', options: { ...options, ...extra } }, secret };
}

/**
 * `url` pointed at database `db`, its query kept. The driver takes the user's authentication database from
 * the URL's path when `authSource` is not given, so a URL with credentials keeps its old one explicitly.
 */
export function urlForDatabase(url: string, db: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/([^/?]*))(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!m) throw new Error('urlForDatabase: not a mongodb:// URL');
  const [, base, authority, path, query] = m;
  const params = new URLSearchParams(query?.slice(1) ?? '');
  if (authority!.includes('@') && ![...params.keys()].some((k) => k.toLowerCase() === 'authsource')) {
    params.set('authSource', decodeURIComponent(path?.slice(1) ?? '') || 'admin');
  }
  const q = params.toString();
  return `${base}/${encodeURIComponent(db)}${q ? `?${q}` : ''}`;
}

export async function withMongoClient<T>(url: string, use: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000, connectTimeoutMS: 5000, socketTimeoutMS: 20_000 });
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.close();
  }
}

/** Accounts: a `$jsonSchema` validator says the types, so none are sampled. */
export const ACCOUNTS_SCHEMA: Document = {
  bsonType: 'object',
  required: ['owner', 'balance'],
  properties: {
    _id: { bsonType: 'objectId' },
    owner: { bsonType: 'string', description: 'Who holds the account' },
    balance: { bsonType: 'decimal' },
    kind: { enum: ['checking', 'savings'] },
    limits: { bsonType: 'object', required: ['daily'], properties: { daily: { bsonType: 'int' }, note: { bsonType: ['string', 'null'] } } },
    tags: { bsonType: 'array', items: { bsonType: 'string' } },
  },
};

/** Products with fields that came and went over the years: 40 documents, fewer than any sample size here. */
export function products(): Document[] {
  return Array.from({ length: 40 }, (_, i) => {
    const doc: Document = { _id: new ObjectId(`65a${i.toString(16).padStart(21, '0')}`), sku: `SKU-${i}`, price: i % 4 ? Decimal128.fromString(`${i}.99`) : new Double(i + 0.5) };
    if (i % 5 !== 0) doc.stock = new Int32(i * 3);
    if (i % 8 === 0) doc.discontinued = true;
    doc.variants = i % 3 === 0 ? [] : [{ color: 'red', sizes: ['S', 'M'] }, { color: 'blue', extra: { weight: i % 2 ? new Int32(100) : null } }];
    if (i % 10 === 1) doc.legacyId = Long.fromNumber(1_000_000 + i);
    if (i % 13 === 0) doc.image = new Binary(Buffer.from([i, i + 1]));
    return doc;
  });
}

/**
 * The shop: three messy collections from the stand-in's seed (people, orders, events) and products; accounts
 * with a validator; a view over people; a capped log; a time series; indexes of each kind.
 */
export async function seedShop(db: Db): Promise<void> {
  await db.collection('people').insertMany(people());
  await db.collection('orders').insertMany(orders());
  await db.collection('events').insertMany(events());
  await db.collection('products').insertMany(products());
  await db.createCollection('accounts', { validator: { $jsonSchema: ACCOUNTS_SCHEMA }, validationLevel: 'strict', validationAction: 'error' });
  await db.collection('accounts').insertOne({ owner: 'Ada', balance: Decimal128.fromString('10.00'), kind: 'savings', limits: { daily: new Int32(500), note: null }, tags: ['vip'] });
  await db.createCollection('adults', { viewOn: 'people', pipeline: [{ $match: { name: { $ne: 'Cy' } } }, { $project: { name: 1, address: 1 } }] });
  await db.createCollection('log', { capped: true, size: 65536, max: 100 });
  await db.collection('log').insertMany([{ at: new Date('2024-05-01T00:00:00Z'), level: 'info', msg: 'started' }, { at: new Date('2024-05-01T00:00:01Z'), level: 'warn', msg: 'slow', ms: new Int32(1200) }]);
  await db.createCollection('metrics', { timeseries: { timeField: 'ts', metaField: 'sensor', granularity: 'minutes' } });
  await db.collection('metrics').insertMany([
    { ts: new Date('2024-05-01T00:00:00Z'), sensor: { id: 's1', room: 'lab' }, temp: new Double(21.5) },
    { ts: new Date('2024-05-01T00:01:00Z'), sensor: { id: 's1', room: 'lab' }, temp: new Double(21.75) },
  ]);
  await db.collection('people').createIndex({ email: 1 }, { unique: true, sparse: true, name: 'email_unique' });
  await db.collection('people').createIndex({ name: 'text', nickname: 'text' }, { name: 'people_text' });
  await db.collection('orders').createIndex({ customer: 1, placedAt: -1 }, { name: 'customer_recent' });
  // A century: long enough that a real server's TTL monitor never removes the seeded orders during a run.
  await db.collection('orders').createIndex({ placedAt: 1 }, { expireAfterSeconds: 3_153_600_000, name: 'placed_ttl' });
}

/** A seeded shop on the test MongoDB, its model and a work folder (see `seededShop`). */
export interface SeededShop {
  mongo: TestMongo;
  client: MongoClient;
  model: SchemaModel;
  work: Awaited<ReturnType<typeof makeWorkDir>>;
  /** Drops the database, closes the client, stops the server and removes the work folder. */
  close(): Promise<void>;
}

/**
 * The shop seeded into database `dbName` of the test MongoDB (the stand-in, or PLUGBOARD_TEST_MONGO_URL's
 * server), `extra` seeding after it, introspected once, and a work folder named after `workLabel`. Whatever
 * was set up is taken down again if a step fails.
 */
export async function seededShop(dbName: string, workLabel: string, extra?: (db: Db) => Promise<unknown>): Promise<SeededShop> {
  let mongo: TestMongo | undefined;
  let client: MongoClient | undefined;
  let work: SeededShop['work'] | undefined;
  const close = async () => {
    await client?.db(dbName).dropDatabase().catch(() => undefined);
    await client?.close();
    await Promise.allSettled([mongo?.stop(), work?.remove()]);
  };
  try {
    mongo = await mongoForTests();
    client = new MongoClient(mongo.url, { serverSelectionTimeoutMS: 5000, socketTimeoutMS: 30_000 });
    await client.connect();
    await seedShop(client.db(dbName));
    await extra?.(client.db(dbName));
    const { profile, secret } = mongoProfile(urlForDatabase(mongo.url, dbName));
    const { model } = await introspectOnce(profile, secret, {});
    work = await makeWorkDir(workLabel);
    return { mongo, client, model, work, close };
  } catch (err) {
    await close();
    throw err;
  }
}
