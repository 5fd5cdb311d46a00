import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import { DocumentReference, GeoPoint, Timestamp, type DocumentSnapshot, type QuerySnapshot } from 'firebase-admin/firestore';
import { connectAdmin, type AdminClient, type EmulatorSettingsOptions } from '../support/firestore/admin';
import { startFirestoreEmulator, type FirestoreEmulator } from '../support/firestore/emulator';
import { DEFAULT_PAGE_SIZE } from '../support/firestore/listing';
import { MESSY_AVATAR, MESSY_CREATED_AT, MESSY_LAST_LOGIN, seedMessyData } from '../support/firestore/messyData';
import { rawListingClient, type RawListingClient } from '../support/firestore/rawClient';
import { writeRawDocument } from '../support/firestore/rawSeed';
import { within } from '../support/firestore/within';
import { freePort } from '../support/net';
import { runProgram } from '../support/workdir';

const STEP_MS = 5_000;
const ids = (refs: { id: string }[]): string[] => refs.map((ref) => ref.id);

/** The first `count` values a listener delivers, then unsubscribes; fails if they don't come in time. */
function firstSnapshots<T>(subscribe: (next: (value: T) => void, fail: (err: Error) => void) => () => void, count: number, onEach: (value: T, index: number) => void = () => undefined): Promise<T[]> {
  const values: T[] = [];
  let unsubscribe = (): void => undefined;
  const done = new Promise<T[]>((resolve, reject) => {
    unsubscribe = subscribe((value) => {
      values.push(value);
      onEach(value, values.length - 1);
      if (values.length === count) resolve(values);
    }, reject);
  });
  return within(done, STEP_MS, `${count} snapshots`).finally(() => unsubscribe());
}

describe('Firestore emulator (test support) through unchanged firebase-admin', function () {
  this.timeout(30_000);
  let emulator: FirestoreEmulator;
  let raw: RawListingClient;
  const clients: AdminClient[] = [];
  let messy: AdminClient;

  const connect = (host: string, projectId?: string, opts?: EmulatorSettingsOptions): AdminClient => {
    const client = connectAdmin(host, projectId, opts);
    clients.push(client);
    return client;
  };

  before(async () => {
    emulator = await startFirestoreEmulator();
    raw = rawListingClient(emulator.host);
    messy = connect(emulator.host);
    await within(seedMessyData(messy.db), STEP_MS, 'seeding the messy data');
  });
  after(async () => {
    raw?.close();
    const closing = await Promise.allSettled(clients.map((client) => client.close()));
    await emulator?.stop();
    const failed = closing.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  });

  it('round-trips every value type as the class firebase-admin reads it back as', async () => {
    const alice = (await within(messy.db.doc('users/alice').get(), STEP_MS, 'get alice')).data()!;
    assert.equal(alice.name, 'Alice');
    assert.equal(alice.age, 31);
    assert.equal(alice.score, 4.5);
    assert.equal(alice.active, true);
    assert.equal(alice.nickname, null, 'null stays a present field, distinct from a missing one');
    assert.deepEqual(alice.tags, ['admin', 'beta']);
    assert.ok(alice.address.location instanceof GeoPoint, 'a GeoPoint nested in a map');
    assert.deepEqual([alice.address.location.latitude, alice.address.location.longitude], [45.76, 4.84]);
    assert.equal(alice.prefs.length, 2);
    assert.deepEqual(alice.prefs[0], { key: 'theme', value: 'dark' }, 'an array of maps comes back as plain objects');
    assert.ok(alice.prefs[1].since instanceof Timestamp, 'a Timestamp inside a map inside an array');
    assert.ok(alice.manager instanceof DocumentReference);
    assert.equal(alice.manager.path, 'users/bob');
    assert.ok(alice.createdAt instanceof Timestamp);
    assert.ok(alice.createdAt.isEqual(MESSY_CREATED_AT), 'microsecond timestamps are kept exactly');
    assert.ok(alice.lastLogin instanceof Timestamp, 'a Date is written as a Timestamp and read back as one, not as a Date');
    assert.equal(alice.lastLogin.toMillis(), MESSY_LAST_LOGIN.getTime());
    assert.ok(Buffer.isBuffer(alice.avatar), 'bytes come back as a Buffer');
    assert.ok(MESSY_AVATAR.equals(alice.avatar));

    const bob = (await messy.db.doc('users/bob').get()).data()!;
    const carol = (await messy.db.doc('users/carol').get()).data()!;
    assert.deepEqual(bob.address, { city: 'Paris' }, 'maps differ in shape between documents');
    assert.equal(bob.manager, null);
    assert.deepEqual(carol, { name: 'Carol' }, 'optional fields are simply absent');
  });

  it('keeps int and double apart: useBigInt reads integers as bigint, doubles (even integral ones) as number', async () => {
    const messyBig = connect(emulator.host, messy.projectId, { useBigInt: true });
    const alice = (await within(messyBig.db.doc('users/alice').get(), STEP_MS, 'get alice')).data()!;
    assert.equal(alice.age, 31n);
    assert.equal(alice.score, 4.5);
    assert.equal((await messyBig.db.doc('users/bob').get()).get('score'), 3n, 'score is an int in bob and a double in alice');
    const numbersBig = connect(emulator.host, undefined, { useBigInt: true });
    const numbersPlain = connect(emulator.host, numbersBig.projectId);
    writeRawDocument(emulator.state, numbersBig.projectId, 'numbers/n1', { integral_double: { double_value: 2 }, int: { integer_value: 2 } });
    const big = (await numbersBig.db.doc('numbers/n1').get()).data()!;
    assert.deepEqual([big.integral_double, big.int], [2, 2n]);
    const plain = (await numbersPlain.db.doc('numbers/n1').get()).data()!;
    assert.deepEqual([plain.integral_double, plain.int], [2, 2], 'without useBigInt the two are indistinguishable');
  });

  it('lists root collections and subcollections, including under a missing document, not emptied ones', async () => {
    const db = messy.db;
    assert.deepEqual(ids(await within(db.listCollections(), STEP_MS, 'root listCollections')), ['products', 'users'], 'scratch was emptied: it no longer exists');
    assert.deepEqual(ids(await db.doc('users/alice').listCollections()), ['orders']);
    assert.deepEqual(ids(await db.doc('users/alice/orders/o1').listCollections()), ['items']);
    assert.deepEqual(ids(await db.doc('users/alice/orders/o2').listCollections()), []);
    assert.deepEqual(ids(await db.doc('users/carol').listCollections()), []);
    assert.deepEqual(ids(await db.doc('users/dave').listCollections()), ['orders'], 'dave has no data but has orders');
    assert.deepEqual(ids(await db.doc('users/nobody').listCollections()), []);
  });

  it('lists documents in id order, with missing ones (firebase-admin asks for them)', async () => {
    const db = messy.db;
    const users = await within(db.collection('users').listDocuments(), STEP_MS, 'listDocuments users');
    assert.deepEqual(ids(users), ['alice', 'bob', 'carol', 'dave']);
    const snapshots = await db.getAll(...users);
    assert.deepEqual(snapshots.map((snapshot) => snapshot.exists), [true, true, true, false]);
    assert.deepEqual(ids(await db.collection('users/alice/orders').listDocuments()), ['o1', 'o2']);
    assert.deepEqual(ids(await db.collection('users/alice/orders/o1/items').listDocuments()), ['i1', 'i2']);
    assert.deepEqual(ids(await db.collection('scratch').listDocuments()), []);
  });

  it('pages long listings: firebase-admin follows the page tokens', async () => {
    const client = connect(emulator.host);
    const count = DEFAULT_PAGE_SIZE + 1;
    const batch = client.db.batch();
    const expected = Array.from({ length: count }, (_, i) => `doc-${String(i).padStart(4, '0')}`);
    for (const id of expected) batch.set(client.db.doc(`many/${id}`), { i: Number(id.slice(4)) });
    await within(batch.commit(), STEP_MS, 'seeding many documents');
    const parent = `projects/${client.projectId}/databases/(default)/documents`;
    const firstPage = await raw.listDocuments({ parent, collection_id: 'many', show_missing: true });
    assert.equal(firstPage.documents?.length, DEFAULT_PAGE_SIZE);
    assert.ok(firstPage.next_page_token, 'a first page that is not the last carries a token');
    assert.deepEqual(ids(await within(client.db.collection('many').listDocuments(), STEP_MS, 'listDocuments many')), expected);
  });

  it('honours page_size, page_token, masks, show_missing and __name__ order over raw gRPC', async () => {
    const parent = `projects/${messy.projectId}/databases/(default)/documents`;
    const first = await raw.listCollectionIds({ parent, page_size: 1 });
    assert.deepEqual(first.collection_ids, ['products']);
    const second = await raw.listCollectionIds({ parent, page_size: 1, page_token: first.next_page_token });
    assert.deepEqual([second.collection_ids, second.next_page_token], [['users'], '']);
    const pageOne = await raw.listDocuments({ parent, collection_id: 'users', page_size: 2, show_missing: true });
    const pageTwo = await raw.listDocuments({ parent, collection_id: 'users', page_size: 2, show_missing: true, page_token: pageOne.next_page_token });
    const names = [...pageOne.documents!, ...pageTwo.documents!].map((doc) => doc.name!.split('/').pop());
    assert.deepEqual(names, ['alice', 'bob', 'carol', 'dave']);
    const dave = pageTwo.documents![1]!;
    assert.deepEqual([dave.name, dave.fields ?? {}, dave.create_time, dave.update_time], [`${parent}/users/dave`, {}, undefined, undefined], 'a missing document has a name and nothing else');
    const existing = await raw.listDocuments({ parent, collection_id: 'users', order_by: '__name__ desc' });
    assert.deepEqual(existing.documents!.map((doc) => doc.name!.split('/').pop()), ['carol', 'bob', 'alice']);
    const masked = await raw.listDocuments({ parent, collection_id: 'users', page_size: 1, mask: { field_paths: ['name', 'address.city', '`no such`'] } });
    // toObject() on a raw Value lists every oneof member with its default, so compare the members that matter.
    const fields = masked.documents![0]!.fields!;
    assert.deepEqual(Object.keys(fields).sort(), ['address', 'name']);
    assert.equal(fields.name!.string_value, 'Alice');
    const address = fields.address!.map_value!.fields!;
    assert.deepEqual([Object.keys(address), address.city!.string_value], [['city'], 'Lyon']);
    const noFields = await raw.listDocuments({ parent, collection_id: 'users', page_size: 1, mask: { field_paths: [] } });
    assert.deepEqual(noFields.documents![0]!.fields ?? {}, {});
  });

  it('answers requests it cannot honour with a gRPC status, not a crash', async () => {
    const parent = `projects/${messy.projectId}/databases/(default)/documents`;
    const code = async (request: Promise<unknown>): Promise<number> => {
      const err = await request.then(() => assert.fail('expected an error'), (e: { code: number }) => e);
      return err.code;
    };
    const INVALID_ARGUMENT = 3;
    const UNIMPLEMENTED = 12;
    assert.equal(await code(raw.listCollectionIds({ parent: 'projects/p/documents' })), INVALID_ARGUMENT);
    assert.equal(await code(raw.listCollectionIds({ parent, page_token: 'not-ours' })), INVALID_ARGUMENT);
    assert.equal(await code(raw.listCollectionIds({ parent, read_time: { seconds: 1 } })), UNIMPLEMENTED);
    assert.equal(await code(raw.listDocuments({ parent, collection_id: 'users', order_by: 'age' })), UNIMPLEMENTED);
    assert.equal(await code(raw.listDocuments({ parent, collection_id: 'users', order_by: '__name__', show_missing: true })), INVALID_ARGUMENT);
    assert.equal(await code(raw.listDocuments({ parent })), UNIMPLEMENTED, 'no collection_id: every collection, not supported');
  });

  it('delivers onSnapshot: the current state first, then each change', async () => {
    const client = connect(emulator.host);
    const ref = client.db.doc('watched/w1');
    await ref.set({ step: 1 });
    const docSnapshots = await firstSnapshots<DocumentSnapshot>(
      (next, fail) => ref.onSnapshot(next, fail),
      2,
      (_, index) => {
        if (index === 0) void ref.update({ step: 2 });
      },
    );
    assert.deepEqual(docSnapshots.map((snapshot) => snapshot.get('step')), [1, 2]);
    const querySnapshots = await firstSnapshots<QuerySnapshot>(
      (next, fail) => client.db.collection('watched').onSnapshot(next, fail),
      2,
      (_, index) => {
        if (index === 0) void client.db.doc('watched/w2').set({ step: 1 });
      },
    );
    assert.deepEqual(querySnapshots.map((snapshot) => ids(snapshot.docs)), [['w1'], ['w1', 'w2']]);
  });

  it('runs BulkWriter through BatchWrite, each write standing alone', async () => {
    const client = connect(emulator.host);
    await client.db.doc('taken/t').set({ first: true });
    const writer = client.db.bulkWriter();
    const writes = Array.from({ length: 25 }, (_, i) => writer.set(client.db.doc(`bulk/b${i}`), { i }));
    const duplicate = writer.create(client.db.doc('taken/t'), { again: true }).then(
      () => 'created',
      (err: { code: number }) => err.code,
    );
    await within(writer.close(), STEP_MS, 'BulkWriter.close');
    await Promise.all(writes);
    assert.equal(await duplicate, 6, 'create() on an existing document fails alone with ALREADY_EXISTS');
    assert.equal((await client.db.collection('bulk').count().get()).data().count, 25);
  });

  it('keeps projects and emulators apart; an unknown project reads as empty', async () => {
    const other = await startFirestoreEmulator();
    try {
      const here = connect(emulator.host, 'shared-name');
      const there = connect(other.host, 'shared-name');
      await here.db.doc('c/d').set({ where: 'here' });
      await there.db.doc('c/d').set({ where: 'there' });
      assert.equal((await here.db.doc('c/d').get()).get('where'), 'here');
      assert.equal((await there.db.doc('c/d').get()).get('where'), 'there');
      const stranger = connect(emulator.host);
      assert.deepEqual(await stranger.db.listCollections(), []);
      assert.equal((await stranger.db.doc('users/alice').get()).exists, false, 'messy data belongs to another project');
      await here.db.doc('c/d').delete();
    } finally {
      await other.stop();
    }
  });

  it('fails listCollections/listDocuments within the listing deadline once the emulator is down', async () => {
    const doomed = await startFirestoreEmulator();
    const deadlineMs = 1_000;
    const warm = connect(doomed.host, undefined, { listingDeadlineMs: deadlineMs });
    await warm.db.doc('c/d').set({ a: 1 });
    await warm.db.listCollections();
    await doomed.stop();
    const never = connect(`127.0.0.1:${await freePort()}`, undefined, { listingDeadlineMs: deadlineMs });
    const timed = async (label: string, call: () => Promise<unknown>): Promise<{ code: number; ms: number }> => {
      const start = Date.now();
      const err = await within(call(), deadlineMs + 4_000, label).then(
        () => assert.fail(`${label}: expected a failure`),
        (e: { code?: number; message: string }) => e,
      );
      assert.ok(typeof err.code === 'number', `${label}: not a gRPC error: ${err.message}`);
      return { code: err.code, ms: Date.now() - start };
    };
    const DEADLINE_EXCEEDED = 4;
    const [stopped, listed, refused] = await Promise.all([
      timed('listCollections on a stopped emulator', () => warm.db.listCollections()),
      timed('listDocuments on a stopped emulator', () => warm.db.collection('c').listDocuments()),
      timed('listCollections on a port nobody listens on', () => never.db.listCollections()),
    ]);
    // A call racing the server's going away may get CANCELLED or UNAVAILABLE at once instead of retrying.
    assert.ok([1, DEADLINE_EXCEEDED, 14].includes(stopped.code), `listCollections: code ${stopped.code}`);
    assert.ok([1, DEADLINE_EXCEEDED, 14].includes(listed.code), `listDocuments: code ${listed.code}`);
    assert.equal(refused.code, DEADLINE_EXCEEDED);
  });

  it('stop() closes the port, is idempotent, and leaves nothing that keeps a process alive', async () => {
    const short = await startFirestoreEmulator();
    await short.stop();
    await short.stop();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(short.port, '127.0.0.1');
      socket.once('connect', () => resolve(false)).once('error', () => resolve(true));
    });
    assert.ok(refused, 'the port still accepts connections after stop()');
    const probe = path.join(__dirname, '..', 'support', 'firestore', 'lifecycleProbe.js');
    const run = await runProgram(process.execPath, [probe], { timeoutMs: 15_000 });
    assert.equal(run.code, 0, `the probe process did not end on its own:\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /stopped cleanly/);
  });
});
