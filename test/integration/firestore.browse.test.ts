/**
 * Preview Data and the snippets for Firestore, through the session, against the emulator: root collections
 * read directly, values of Firestore's own classes made readable, pages bounded by `limit` only.
 */
import * as assert from 'node:assert/strict';
import { GeoPoint, Timestamp } from 'firebase-admin/firestore';
import type { Session } from '../../src/core/backend';
import { connectAdmin, uniqueProjectId, type AdminClient } from '../support/firestore/admin';
import { startFirestoreEmulator, type FirestoreEmulator } from '../support/firestore/emulator';
import { CATALOG, testHost } from '../support/host';

describe('Firestore backend: preview and snippets', function () {
  this.timeout(60_000);
  let emulator: FirestoreEmulator;
  let admin: AdminClient;
  let session: Session;

  before(async () => {
    emulator = await startFirestoreEmulator();
    admin = connectAdmin(emulator.host, uniqueProjectId('browse'));
    const users = admin.db.collection('users');
    for (let i = 0; i < 7; i++) {
      await users.doc(`u${i}`).set({ n: i, ...(i === 0 ? { at: Timestamp.fromDate(new Date('2026-01-02T03:04:05Z')), where: new GeoPoint(1.5, 2.5), friend: users.doc('u1') } : {}) });
    }
    session = await (await CATALOG.driver('firestore')).connect({ id: 'fs', name: 'fs', kind: 'firestore', options: { projectId: admin.projectId, emulatorHost: emulator.host } }, {}, testHost());
  });
  after(async () => {
    await session?.close();
    await admin?.close();
    await emulator?.stop();
  });

  it('pages through a root collection; timestamps, geopoints and references readable', async () => {
    const first = await session.preview!({ namespace: '(default)', entity: 'users' }, { limit: 3, offset: 0 });
    assert.deepEqual(first.columns, ['(document)', 'n', 'at', 'where', 'friend']);
    assert.deepEqual(first.rows[0], ['users/u0', 0, '2026-01-02T03:04:05.000Z', { latitude: 1.5, longitude: 2.5 }, 'users/u1']);
    assert.equal(first.hasMore, true);
    const last = await session.preview!({ namespace: '(default)', entity: 'users' }, { limit: 3, offset: 6 });
    assert.deepEqual(last.rows.map((r) => r[0]), ['users/u6']);
    assert.equal(last.hasMore, false);
  });

  it('copies a path and a query the Admin SDK runs as written', async () => {
    const snippets = (await CATALOG.driver('firestore')).snippets!;
    assert.equal(snippets.name({ namespace: '(default)', entity: 'users' }), 'users');
    assert.equal(snippets.select({ namespace: '(default)', entity: 'users' }, ['n'], 10), 'db.collection("users").select("n").limit(10).get()');
    assert.equal(snippets.select({ namespace: '(default)', entity: 'users/orders', path: 'users/{userId}/orders' }, [], 5), 'db.collectionGroup("orders").limit(5).get()');
  });
});
