/**
 * Preview Data and the snippets for MongoDB, through the session, on the stand-in (or a real server with
 * PLUGBOARD_TEST_MONGO_URL): pages of documents with BSON values made readable, odd collection names.
 */
import * as assert from 'node:assert/strict';
import { Decimal128, Int32, Long, ObjectId } from 'mongodb';
import type { Session } from '../../src/core/backend';
import { CATALOG } from '../support/host';
import { mongoForTests, type TestMongo } from '../support/mongo';
import { mongoProfile, scratchDbName, urlForDatabase, withMongoClient } from '../support/mongoBackend';
import { connect } from '../support/sessions';

describe('MongoDB backend: preview and snippets', function () {
  this.timeout(60_000);
  let mongo: TestMongo;
  let session: Session;
  const db = scratchDbName('browse');
  const weird = 'odd "name".with dots';
  const id = new ObjectId();

  before(async () => {
    mongo = await mongoForTests();
    await withMongoClient(mongo.url, async (client) => {
      await client.db(db).collection(weird).insertMany(
        Array.from({ length: 12 }, (_, i) => ({
          _id: i === 0 ? id : new ObjectId(),
          n: new Int32(i),
          ...(i % 3 === 0 ? { big: Long.fromString('9007199254740993'), price: Decimal128.fromString('1.10') } : {}),
          nested: { at: new Date('2026-01-02T03:04:05Z'), tags: ['a', 'b'] },
        })),
      );
    });
    const { profile, secret } = mongoProfile(urlForDatabase(mongo.url, db));
    session = await connect(profile, secret);
  });
  after(async () => {
    await session?.close();
    await withMongoClient(mongo.url, (client) => client.db(db).dropDatabase()).catch(() => undefined);
    await mongo?.stop();
  });

  it('pages through documents, columns in first-seen order, BSON values readable and JSON-safe', async () => {
    const ref = { namespace: db, entity: weird };
    const first = await session.preview!(ref, { limit: 5, offset: 0 });
    assert.deepEqual(first.columns, ['_id', 'n', 'big', 'price', 'nested']);
    assert.equal(first.hasMore, true);
    assert.deepEqual(first.rows[0], [id.toHexString(), 0, '9007199254740993', '1.10', { at: '2026-01-02T03:04:05.000Z', tags: ['a', 'b'] }]);
    assert.equal(first.rows[1]![2], null, 'a field a document lacks is shown empty');
    const last = await session.preview!(ref, { limit: 5, offset: 10 });
    assert.equal(last.rows.length, 2);
    assert.equal(last.hasMore, false);
    assert.deepEqual(JSON.parse(JSON.stringify(last.rows)), last.rows);
  });

  it('copies names and a find() that mongosh runs as written, whatever the collection is called', async () => {
    const snippets = (await CATALOG.driver('mongodb')).snippets!;
    const ref = { namespace: db, entity: weird };
    assert.equal(snippets.name(ref), `db.getSiblingDB(${JSON.stringify(db)}).getCollection("odd \\"name\\".with dots")`);
    assert.equal(snippets.select(ref, ['n', 'a b'], 50), `db.getSiblingDB(${JSON.stringify(db)}).getCollection("odd \\"name\\".with dots").find({}, { "n": 1, "a b": 1 }).limit(50)`);
  });
});
