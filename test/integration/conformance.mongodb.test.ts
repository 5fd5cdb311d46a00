/**
 * The backend conformance suite for MongoDB: the wire-protocol stand-in with a user whose password is the
 * canary (or the real server PLUGBOARD_TEST_MONGO_URL names, whose own password is then the secret), a
 * stand-in of its own for bad credentials, a refused port and a black hole.
 */
import { CANARY } from '../support/canary';
import { describeConformance } from '../support/conformance';
import { mongoForTests, startMongoStandin, type TestMongo } from '../support/mongo';
import { mongoProfile, scratchDbName, urlForDatabase, withMongoClient } from '../support/mongoBackend';
import { freePort, startBlackHole } from '../support/net';

const USER = 'plugboard';
const database = scratchDbName('conformance');
let mongo: TestMongo | undefined;

describeConformance({
  name: 'MongoDB (the stand-in, or PLUGBOARD_TEST_MONGO_URL)',
  async setup() {
    mongo = await mongoForTests({ user: USER, password: CANARY });
    await withMongoClient(mongo.url, async (client) => {
      const db = client.db(database);
      await db.collection('conformance_items').insertMany([{ name: 'a', tags: ['x'], meta: { n: 1 } }, { name: 'b', meta: null }]);
      await db.createCollection('conformance_names', { viewOn: 'conformance_items', pipeline: [{ $project: { name: 1 } }] });
    });
    const { profile, secret } = mongoProfile(urlForDatabase(mongo.url, database));
    // On the stand-in the URL's password is the canary; a real server's URL may have none: the canary is then
    // still the secret the profile holds, which must not leak.
    const password = secret.password ?? CANARY;
    const stop = mongo.stop;
    return {
      profile,
      secret: { password },
      canary: password,
      teardown: async () => {
        await withMongoClient(mongo!.url, (client) => client.db(database).dropDatabase()).catch(() => undefined);
        await stop();
      },
    };
  },
  seeded: { namespace: database, entity: 'conformance_items' },
  async refused() {
    return { profile: mongoProfile(`mongodb://127.0.0.1:${await freePort()}/${database}`).profile, secret: { password: CANARY } };
  },
  async badCredentials() {
    const standin = await startMongoStandin({ user: USER, password: CANARY });
    const { profile } = mongoProfile(`mongodb://${USER}@127.0.0.1:${standin.port}/${database}?authSource=admin`);
    return { profile, secret: { password: `${CANARY}-wrong` }, code: 'AUTHENTICATION_FAILED', teardown: () => standin.stop() };
  },
  async stalled() {
    const hole = await startBlackHole();
    const { profile } = mongoProfile(`mongodb://127.0.0.1:${hole.port}/${database}?serverSelectionTimeoutMS=500&connectTimeoutMS=500`);
    return { profile, secret: {}, teardown: () => hole.close() };
  },
  stalledWithinMs: 3_000,
});
