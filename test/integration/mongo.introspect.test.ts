/**
 * The MongoDB backend introspecting a seeded shop through the backend contract (module → driver → session):
 * messy collections, a `$jsonSchema` validator, a view, capped and time series collections, indexes; sampling
 * bounds and repeatability; which databases are read; round trips; cancellation. Runs against the stand-in,
 * or a real server when PLUGBOARD_TEST_MONGO_URL is set.
 */
import * as assert from 'node:assert/strict';
import { Int32 } from 'mongodb';
import { fingerprint } from '../../src/core/introspect/fingerprint';
import { isPlugboardError } from '../../src/core/errors';
import { SchemaModel, type Entity } from '../../src/core/model';
import { mongoForTests, type TestMongo } from '../support/mongo';
import { mongoProfile, scratchDbName, seedShop, urlForDatabase, withMongoClient } from '../support/mongoBackend';
import { entitySummary, EXPECTED_SHOP } from '../support/mongoExpected';
import { connect, introspectOnce } from '../support/sessions';

describe('MongoDB backend: introspection', function () {
  this.timeout(60_000);
  let mongo: TestMongo;
  const shop = scratchDbName('shop');
  const bulk = scratchDbName('bulk');
  const empty = scratchDbName('empty');
  let model: SchemaModel;
  let queries: number;

  before(async () => {
    mongo = await mongoForTests();
    await withMongoClient(mongo.url, async (client) => {
      await seedShop(client.db(shop));
      await client.db(bulk).collection('rows').insertMany(Array.from({ length: 2500 }, (_, i) => ({ i: new Int32(i), ...(i % 2 ? { odd: true } : {}) })));
      await client.db(empty).createCollection('nothing');
    });
    const { profile, secret } = mongoProfile(urlForDatabase(mongo.url, shop));
    ({ model, queries } = await introspectOnce(profile, secret, {}));
  });
  after(async () => {
    await withMongoClient(mongo.url, (client) => Promise.all([shop, bulk, empty].map((d) => client.db(d).dropDatabase()))).catch(() => undefined);
    await mongo?.stop();
  });

  const entity = (name: string): Entity => {
    const found = model.namespaces[0]?.entities.find((e) => e.name === name);
    assert.ok(found, `no entity ${name}`);
    return found;
  };

  it('reads the URL database alone, as a valid v2 model with the server version', () => {
    assert.doesNotThrow(() => SchemaModel.parse(model));
    assert.deepEqual(model.namespaces.map((n) => n.name), [shop]);
    assert.equal(model.source.kind, 'mongodb');
    assert.equal(model.source.database, shop);
    assert.match(model.source.serverVersion ?? '', /^MongoDB \d+\.\d+/);
  });

  it('gives the expected collections, views, fields, details and indexes', () => {
    assert.deepEqual(model.namespaces[0]!.entities.map((e) => e.name), Object.keys(EXPECTED_SHOP));
    for (const e of model.namespaces[0]!.entities) assert.deepEqual(entitySummary(e), EXPECTED_SHOP[e.name], `entity ${e.name}`);
  });

  it('keys every collection by _id, counts its documents, and says how it learned the fields', () => {
    for (const e of model.namespaces[0]!.entities) {
      assert.deepEqual(e.primaryKey, e.kind === 'view' ? null : { name: '_id_', columns: ['_id'] }, e.name);
      if (e.origin === 'validator') assert.ok(e.fields.every((f) => f.confidence === undefined || f.confidence === 1), `${e.name}: a validator is exact`);
    }
    assert.deepEqual(entity('products').stats, { rows: 40, sample: { size: 1000, seen: 40 } });
    assert.deepEqual(entity('accounts').stats, { rows: 1 }, 'a validator collection is not sampled');
    assert.deepEqual(entity('adults').stats, { sample: { size: 1000, seen: 3 } }, 'a view is not counted (that would run its pipeline)');
    assert.equal(entity('accounts').fields.find((f) => f.name === 'owner')?.comment, 'Who holds the account');
  });

  it('two samplings of the same documents give the same fingerprint', async () => {
    const { profile, secret } = mongoProfile(urlForDatabase(mongo.url, shop));
    const again = await introspectOnce(profile, secret, {});
    assert.equal(fingerprint(again.model), fingerprint(model));
    assert.deepEqual(again.model, model, 'down to the confidences: every document was seen both times');
  });

  it('samples at most sampleSize documents, and says so', async () => {
    const { profile, secret } = mongoProfile(urlForDatabase(mongo.url, bulk), { sampleSize: 300 });
    const rows = (await introspectOnce(profile, secret, {})).model.namespaces[0]!.entities[0]!;
    assert.deepEqual(rows.stats, { rows: 2500, sample: { size: 300, seen: 300 } });
    const odd = rows.fields.find((f) => f.name === 'odd')!;
    assert.equal(odd.optional, true);
    assert.ok(odd.confidence! > 0.3 && odd.confidence! < 0.7, `about half the sample is odd: ${odd.confidence}`);
  });

  it('makes a fixed number of round trips per database, then one per collection step', () => {
    // listDatabases + buildInfo, listCollections; then listIndexes (collections), a count (plain and capped
    // collections) and a $sample (unless a validator says the types) per collection.
    const perEntity = (e: Entity) => (e.kind === 'view' ? 0 : 1) + (e.stats?.rows !== undefined ? 1 : 0) + (e.origin === 'sample' ? 1 : 0);
    const expected = 2 + model.namespaces.length + model.namespaces[0]!.entities.reduce((n, e) => n + perEntity(e), 0);
    assert.equal(queries, expected);
  });

  it('reads what a filter names, system databases only when named, all others without a database in the URL', async () => {
    const names = async (extra: Record<string, unknown>, url = mongo.url, include?: string[]) => {
      const { profile, secret } = mongoProfile(url, extra);
      return (await introspectOnce(profile, secret, include ? { include } : {})).model.namespaces.map((n) => n.name);
    };
    assert.deepEqual(await names({ databases: { include: [empty, bulk] } }), [bulk, empty].sort());
    assert.deepEqual(await names({}, urlForDatabase(mongo.url, shop), [empty]), [empty], "the caller's filter wins over the URL's database");
    const all = await names({ databases: { exclude: [bulk] } });
    assert.ok(all.includes(shop) && all.includes(empty) && !all.includes(bulk), 'exclude');
    assert.ok(!all.some((n) => ['admin', 'config', 'local'].includes(n)), 'system databases are left out');
    const emptyModel = (await introspectOnce(mongoProfile(urlForDatabase(mongo.url, empty)).profile, {}, {})).model;
    assert.deepEqual(emptyModel.namespaces[0]!.entities[0]!.fields.map((f) => `${f.name}: ${f.nativeType}`), ['_id: objectId'], 'an empty collection still has its _id');
  });

  it('a cancelled introspection → CANCELLED, and the session still works', async () => {
    const { profile, secret } = mongoProfile(urlForDatabase(mongo.url, shop));
    const session = await connect(profile, secret);
    try {
      const controller = new AbortController();
      const running = session.introspect({}, undefined, controller.signal);
      controller.abort();
      const err = await running.then(() => undefined, (e: unknown) => e);
      assert.ok(isPlugboardError(err) && err.code === 'CANCELLED', `expected CANCELLED, got ${String(err)}`);
      assert.equal((await session.ping()).status, 'ok');
    } finally {
      await session.close();
    }
  });
});
