/**
 * The MongoDB stand-in against the official driver, unchanged: every command Plugboard's MongoDB backend will
 * send. The data suite uses mongoForTests(), so it also runs against a real mongod when
 * PLUGBOARD_TEST_MONGO_URL is set; the auth and CLI suites test the stand-in itself.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { EJSON } from 'bson';
import { Double, Int32, Long, MongoClient, MongoServerError, ObjectId, type Db, type Document } from 'mongodb';
import { mongoForTests, type TestMongo } from '../support/mongo';
import { events, IDS, orders, people } from '../support/mongo/seed';

const FAST = { serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000, socketTimeoutMS: 10_000 };
const canonical = (v: unknown) => EJSON.stringify(v as Document, { relaxed: false });
const RAW = { promoteValues: false, bsonRegExp: true } as const;

describe('MongoDB stand-in: data commands through the official driver', function () {
  this.timeout(20_000);
  let mongo: TestMongo;
  let client: MongoClient;
  let db: Db;
  const started: Document[] = [];
  const dbName = `pb_standin_${randomBytes(4).toString('hex')}`;

  before(async () => {
    mongo = await mongoForTests();
    client = new MongoClient(mongo.url, { ...FAST, monitorCommands: true });
    client.on('commandStarted', (e) => started.push({ name: e.commandName, command: e.command }));
    await client.connect();
    db = client.db(dbName);
    await db.collection('people').insertMany(people());
    await db.collection('orders').insertMany(orders());
    await db.collection('events').insertMany(events());
    await db.createCollection('accounts', { validator: { $jsonSchema: { bsonType: 'object', required: ['owner'], properties: { owner: { bsonType: 'string' } } } }, validationLevel: 'strict' });
    await db.createCollection('log', { capped: true, size: 4096, max: 3 });
    await db.createCollection('metrics', { timeseries: { timeField: 'ts', metaField: 'sensor', granularity: 'minutes' } });
    await db.createCollection('adults', { viewOn: 'people', pipeline: [{ $match: { name: { $ne: 'Cy' } } }, { $project: { name: 1, address: 1 } }] });
  });
  after(async () => {
    await db?.dropDatabase().catch(() => undefined);
    await client?.close();
    await mongo?.stop();
  });
  const commandsNamed = (name: string) => started.filter((c) => c.name === name);

  it('answers hello, ping and buildInfo as a MongoDB 7.0 standalone', async () => {
    const hello = await db.admin().command({ hello: 1 });
    assert.equal(hello.isWritablePrimary, true);
    assert.ok(hello.maxWireVersion >= 21, `maxWireVersion ${hello.maxWireVersion}`);
    assert.equal(hello.setName, undefined, 'a standalone, not a replica set');
    assert.deepEqual(await db.admin().ping(), { ok: 1 });
    const info = await db.admin().buildInfo();
    assert.match(info.version, /^\d+\.\d+\.\d+/);
    assert.equal((await db.admin().command({ endSessions: [] })).ok, 1);
  });

  it('round-trips every BSON type exactly', async () => {
    for (const [name, seeded] of [['people', people()], ['orders', orders()], ['events', events()]] as const) {
      const back = await db.collection(name).find({}, RAW).sort({ _id: 1 }).toArray();
      assert.equal(canonical(back), canonical(seeded), `${name} as stored`);
    }
    const evt = await db.collection('events').findOne({ _id: 'evt-1' as never }, RAW);
    assert.ok(evt?.ratio instanceof Double && evt.count instanceof Int32, 'double 1.0 stays a double, int32 stays int32');
    assert.equal(evt?.session.sub_type, 4, 'UUID is binary subtype 4');
    assert.equal(evt?.pattern.options, 'ix', 'regex flags JS lacks survive');
    const order = await db.collection('orders').findOne({ quantity: Long.fromString('9007199254740993') }, { useBigInt64: true });
    assert.equal(order?.quantity, 9007199254740993n, 'a long beyond 2^53 keeps every digit');
  });

  it('matches by ObjectId, in $in, on nested fields and across numeric types', async () => {
    const people = db.collection('people');
    assert.equal((await people.findOne({ _id: new ObjectId(IDS.bob.toHexString()) }))?.name, 'Bob');
    assert.deepEqual((await people.find({ _id: { $in: [IDS.ada, IDS.dee] } }).sort({ name: 1 }).toArray()).map((p) => p.name), ['Ada', 'Dee']);
    assert.deepEqual((await people.find({ age: { $gte: 40 } }).sort({ name: 1 }).toArray()).map((p) => p.name), ['Bob', 'Dee'], 'int32, double and long compare as numbers');
    assert.equal((await people.findOne({ 'address.city': 'London' }))?.name, 'Ada');
    assert.equal(await db.collection('orders').countDocuments({ customer: IDS.ada }), 2);
    assert.equal(await people.countDocuments({ email: null }), 3, 'null matches null and missing');
  });

  it('finds with filter, projection, sort, skip and limit', async () => {
    const rows = await db.collection('people').find({ tags: 'math' }, { projection: { name: 1, 'address.city': 1 } }).sort({ name: -1 }).toArray();
    // Dee's address is null, not a document: a dotted projection leaves it out, as mongod does.
    assert.deepEqual(rows, [{ _id: IDS.dee, name: 'Dee' }, { _id: IDS.ada, name: 'Ada', address: { city: 'London' } }]);
    assert.deepEqual(Object.keys(rows[1]), ['_id', 'name', 'address'], '_id first, as mongod returns it');
    const page = await db.collection('people').find({}, { projection: { _id: 0, name: 1 } }).sort({ name: 1 }).skip(1).limit(2).toArray();
    assert.deepEqual(page, [{ name: 'Bob' }, { name: 'Cy' }]);
  });

  it('pages a 6,000-document find through getMore and kills an abandoned cursor', async () => {
    const bulk = db.collection('bulk');
    await bulk.insertMany(Array.from({ length: 6000 }, (_, i) => ({ i, even: i % 2 === 0, label: `row-${i}` })));
    const before = commandsNamed('getMore').length;
    const all = await bulk.find({}, { batchSize: 1000 }).sort({ i: 1 }).toArray();
    assert.equal(all.length, 6000);
    assert.ok(all.every((d, i) => d.i === i), 'sorted, nothing lost or repeated');
    assert.equal(commandsNamed('getMore').length - before, 5, '1,000 in the first batch, five getMores for the rest');
    const defaults = await bulk.find({ even: true }).toArray();
    assert.equal(defaults.length, 3000, 'default batch sizes page too');
    const cursor = bulk.find({}, { batchSize: 10 });
    await cursor.next();
    await cursor.close();
    const kill = commandsNamed('killCursors').at(-1);
    assert.ok(kill, 'closing a cursor early sends killCursors');
    await bulk.drop();
  });

  it('aggregates: $sample, $match, $limit, $project, $sort, $skip, counts', async () => {
    const people = db.collection('people');
    const sample = await people.aggregate([{ $sample: { size: 3 } }], { maxTimeMS: 5000 }).toArray();
    assert.equal(sample.length, 3);
    assert.equal(new Set(sample.map((d) => String(d._id))).size, 3, 'distinct documents');
    assert.equal((await people.aggregate([{ $sample: { size: 50 } }]).toArray()).length, 4, 'never more than there are');
    const projected = await db.collection('orders').aggregate([{ $match: { status: { $exists: false } } }, { $sort: { placedAt: -1 } }, { $skip: 0 }, { $limit: 1 }, { $project: { quantity: 1, total: 1 } }], RAW).toArray();
    assert.equal(canonical(projected), canonical([{ _id: orders()[1]._id, total: orders()[1].total, quantity: orders()[1].quantity }]), 'types survive $project');
    const batched = await db.collection('orders').aggregate([{ $match: {} }], { batchSize: 1 }).toArray();
    assert.equal(batched.length, 3);
    const grouped = await db.collection('orders').aggregate([{ $group: { _id: '$customer', n: { $sum: 1 } } }, { $sort: { n: -1 } }]).toArray();
    assert.deepEqual(grouped[0], { _id: IDS.ada, n: 2 });
    assert.equal(await people.countDocuments({ tags: 'math' }), 2);
    assert.equal(await people.estimatedDocumentCount(), 4);
    assert.deepEqual((await people.distinct('tags')).filter((t) => typeof t === 'string').sort(), ['admin', 'math', 'ops']);
  });

  it('never changes stored documents from a pipeline; joins with $lookup; takes unacknowledged writes', async () => {
    await db.collection('people').aggregate([{ $set: { name: 'changed' } }, { $addFields: { 'address.city': 'nowhere' } }, { $unset: 'tags' }]).toArray();
    assert.equal(canonical(await db.collection('people').find({}, RAW).sort({ _id: 1 }).toArray()), canonical(people()));
    const joined = await db.collection('orders').aggregate([{ $match: { status: 'void' } }, { $lookup: { from: 'people', localField: 'customer', foreignField: '_id', as: 'who' } }, { $project: { _id: 0, 'who.name': 1 } }]).toArray();
    assert.deepEqual(joined, [{ who: [{ name: 'Ada' }] }]);
    await db.collection('fire_and_forget').insertOne({ a: 1 }, { writeConcern: { w: 0 } });
    // Unacknowledged: it lands when the server reads it, which may be after a command on another connection.
    const deadline = Date.now() + 3000;
    while ((await db.collection('fire_and_forget').countDocuments()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await db.collection('fire_and_forget').countDocuments(), 1);
    await db.collection('fire_and_forget').drop();
  });

  it('lists databases and collections with types, options, validators and batching', async () => {
    const { databases } = await db.admin().listDatabases();
    assert.ok(databases.some((d) => d.name === dbName && (d.sizeOnDisk ?? 0) > 0));
    const names = (await db.admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name);
    assert.ok(names.includes(dbName) && names.includes('admin'));
    const infos = (await db.listCollections({}, { batchSize: 2 }).toArray()).sort((a, b) => a.name.localeCompare(b.name));
    assert.ok(commandsNamed('getMore').some((c) => String(c.command.collection) === '$cmd.listCollections'), 'listCollections pages with getMore');
    const byName = new Map(infos.map((i) => [i.name, i as Document]));
    assert.deepEqual([...byName.keys()].filter((n) => !n.startsWith('system.')), ['accounts', 'adults', 'events', 'log', 'metrics', 'orders', 'people']);
    assert.ok(byName.has('system.views') && byName.has('system.buckets.metrics'), 'mongod lists the system collections behind views and time series');
    assert.equal(byName.get('people')?.type, 'collection');
    assert.deepEqual(byName.get('accounts')?.options.validator.$jsonSchema.required, ['owner']);
    assert.equal(byName.get('accounts')?.options.validationLevel, 'strict');
    assert.deepEqual({ capped: byName.get('log')?.options.capped, size: byName.get('log')?.options.size, max: byName.get('log')?.options.max }, { capped: true, size: 4096, max: 3 });
    assert.equal(byName.get('metrics')?.type, 'timeseries');
    assert.deepEqual(byName.get('metrics')?.options.timeseries, { timeField: 'ts', metaField: 'sensor', granularity: 'minutes', bucketMaxSpanSeconds: 86400 });
    assert.deepEqual({ type: byName.get('adults')?.type, viewOn: byName.get('adults')?.options.viewOn }, { type: 'view', viewOn: 'people' });
    assert.equal(byName.get('adults')?.options.pipeline.length, 2);
    assert.deepEqual(await db.listCollections({ type: 'view' }, { nameOnly: true }).toArray(), [{ name: 'adults', type: 'view' }]);
    await assert.rejects(db.createCollection('adults'), (e: MongoServerError) => e.code === 48);
  });

  it('runs a view pipeline for find, aggregate and count, and refuses writes to it', async () => {
    const adults = db.collection('adults');
    assert.deepEqual((await adults.find({}).sort({ name: 1 }).toArray()).map((d) => Object.keys(d).join()), ['_id,name,address', '_id,name,address', '_id,name,address']);
    assert.deepEqual((await adults.find({ 'address.city': 'Paris' }).toArray()).map((d) => d.name), ['Bob']);
    assert.equal(await adults.countDocuments(), 3);
    assert.deepEqual(await adults.aggregate([{ $match: { name: 'Ada' } }, { $project: { _id: 0, name: 1 } }]).toArray(), [{ name: 'Ada' }]);
    await assert.rejects(adults.insertOne({ name: 'Eve' }), (e: MongoServerError) => e.code === 166);
  });

  it('keeps capped and time series rules', async () => {
    await db.collection('log').insertMany([1, 2, 3, 4, 5].map((n) => ({ n })));
    assert.deepEqual((await db.collection('log').find().toArray()).map((d) => d.n), [3, 4, 5], 'max 3: the oldest go');
    await db.collection('metrics').insertOne({ ts: new Date(), sensor: 'a', value: 1.5 });
    await assert.rejects(db.collection('metrics').insertOne({ sensor: 'b' }), (e: MongoServerError) => e.code === 2);
  });

  it('inserts, updates and deletes by ObjectId, keeping numeric types', async () => {
    const c = db.collection('crud');
    const { insertedId } = await c.insertOne({ name: 'x', count: new Int32(1), price: new Double(2), big: Long.fromNumber(10), gone: true });
    const byId = { _id: new ObjectId(insertedId.toHexString()) };
    const res = await c.updateOne(byId, { $set: { name: 'y', 'nested.a': 1 }, $unset: { gone: '' }, $inc: { count: 2, price: 1, big: 5 } });
    assert.deepEqual({ matched: res.matchedCount, modified: res.modifiedCount }, { matched: 1, modified: 1 });
    const after = await c.findOne(byId, RAW);
    assert.equal(canonical(after), canonical({ _id: insertedId, name: 'y', count: new Int32(3), price: new Double(3), big: Long.fromNumber(15), nested: { a: new Int32(1) } }));
    assert.equal((await c.updateOne(byId, { $set: { name: 'y' } })).modifiedCount, 0, 'a no-op is not a modification');
    const up = await c.updateOne({ name: 'z' }, { $set: { n: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    assert.ok(up.upsertedId instanceof ObjectId);
    assert.deepEqual(await c.findOne({ _id: up.upsertedId }, { projection: { _id: 0 } }), { name: 'z', n: 1, created: true });
    assert.equal((await c.updateMany({}, { $set: { all: true } })).modifiedCount, 2);
    await c.replaceOne(byId, { name: 'replaced' });
    assert.deepEqual(await c.findOne(byId), { ...byId, name: 'replaced' });
    const found = await c.findOneAndUpdate({ name: 'z' }, { $inc: { n: 1 } }, { returnDocument: 'after' });
    assert.equal(found?.n, 2);
    await assert.rejects(c.insertOne({ _id: insertedId, dup: true }), (e: MongoServerError) => e.code === 11000);
    await assert.rejects(c.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }] as never[], { ordered: false }), (e: MongoServerError & { insertedCount?: number }) => e.code === 11000 && e.insertedCount === 2);
    await c.deleteMany({ _id: { $in: [1, 2] } } as never);
    const lists = db.collection<{ list: number[]; set: string[]; objs: { q: number }[] }>('lists');
    const arrays = await lists.insertOne({ list: [1, 2, 3], set: ['a'], objs: [{ q: 1 }, { q: 2 }] });
    await lists.updateOne({ _id: arrays.insertedId }, { $push: { list: 4 }, $addToSet: { set: { $each: ['a', 'b'] } }, $pull: { objs: { q: 1 } } });
    await lists.updateOne({ _id: arrays.insertedId, list: 2 }, { $set: { 'list.$': 20 } });
    assert.deepEqual(await lists.findOne({ _id: arrays.insertedId }, { projection: { _id: 0 } }), { list: [1, 20, 3, 4], set: ['a', 'b'], objs: [{ q: 2 }] });
    await lists.drop();
    assert.equal((await c.deleteOne(byId)).deletedCount, 1);
    assert.equal(await c.findOne(byId), null);
    assert.equal((await c.deleteMany({})).deletedCount, 1);
  });

  it('creates, lists and drops indexes; unique ones hold', async () => {
    const c = db.collection('indexed');
    await c.insertMany([{ email: 'a@x', at: new Date(), title: 'hello world', a: 1, b: 2 }, { email: 'b@x', title: 'bye' }]);
    await c.createIndex({ email: 1 }, { unique: true });
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    await c.createIndex({ a: 1, b: -1 }, { name: 'a_b' });
    await c.createIndex({ title: 'text' });
    const specs = await c.listIndexes().toArray();
    const byName = new Map(specs.map((s) => [s.name, s]));
    assert.deepEqual([...byName.keys()], ['_id_', 'email_1', 'at_1', 'a_b', 'title_text']);
    assert.equal(byName.get('email_1')?.unique, true);
    assert.equal(byName.get('at_1')?.expireAfterSeconds, 3600);
    assert.deepEqual(byName.get('a_b')?.key, { a: 1, b: -1 });
    assert.deepEqual({ key: byName.get('title_text')?.key, weights: byName.get('title_text')?.weights }, { key: { _fts: 'text', _ftsx: 1 }, weights: { title: 1 } });
    await assert.rejects(c.insertOne({ email: 'a@x' }), (e: MongoServerError) => e.code === 11000);
    await assert.rejects(c.updateOne({ email: 'b@x' }, { $set: { email: 'a@x' } }), (e: MongoServerError) => e.code === 11000);
    await c.dropIndex('a_b');
    assert.equal((await c.listIndexes().toArray()).length, 4);
    await assert.rejects(db.collection('no_such').listIndexes().toArray(), (e: MongoServerError) => e.code === 26);
  });

  it('answers unknown commands with CommandNotFound and drops collections and databases', async () => {
    await assert.rejects(db.command({ noSuchCommand: 1 }), (e: MongoServerError) => e.code === 59 && e.codeName === 'CommandNotFound');
    await db.collection('scratch').insertOne({ a: 1 });
    assert.equal(await db.collection('scratch').drop(), true);
    assert.ok(!(await db.listCollections({ name: 'scratch' }).toArray()).length);
    const other = client.db(`${dbName}_other`);
    await other.collection('x').insertOne({ a: 1 });
    await other.dropDatabase();
    assert.ok(!(await db.admin().listDatabases({ nameOnly: true })).databases.some((d) => d.name === `${dbName}_other`));
  });
});
