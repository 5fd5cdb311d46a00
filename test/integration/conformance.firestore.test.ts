/**
 * The backend conformance suite for Firestore: the JS emulator (test/support/firestore) seeded with the messy
 * data. The profile carries a service-account key as its secret, and one line of its private key is the
 * canary: the emulator never asks for credentials, but nothing Plugboard prints, logs or writes may quote it.
 * The emulator has no authentication, so "bad credentials" is Cloud Firestore's answer to a rejected key
 * (UNAUTHENTICATED), given by a server that speaks Firestore's protocol (statusServer.ts).
 */
import { describeConformance } from '../support/conformance';
import { connectAdmin, type AdminClient } from '../support/firestore/admin';
import { startFirestoreEmulator, type FirestoreEmulator } from '../support/firestore/emulator';
import { seedMessyData } from '../support/firestore/messyData';
import { makeServiceAccount } from '../support/firestore/serviceAccountKey';
import { startStatusServer } from '../support/firestore/statusServer';
import { within } from '../support/firestore/within';
import { freePort, startBlackHole } from '../support/net';
import type { ConnectionProfile } from '../../src/core/model';

const account = makeServiceAccount('plugboard-conformance');
const secret = { serviceAccount: account.json };
/** A line from the middle of the key: random, unlike the first line's fixed ASN.1 prefix. */
const canary = account.privateKey.split('\n')[5]!;

const profile = (options: Record<string, unknown>): ConnectionProfile => ({ id: 'fs-conformance', name: 'fs-conformance', kind: 'firestore', options });

let emulator: FirestoreEmulator | undefined;
let admin: AdminClient | undefined;

describeConformance({
  name: 'Firestore (emulator)',
  async setup() {
    emulator = await startFirestoreEmulator();
    admin = connectAdmin(emulator.host);
    await within(seedMessyData(admin.db), 10_000, 'seeding');
    return {
      profile: profile({ projectId: admin.projectId, emulatorHost: emulator.host }),
      secret,
      canary,
      async teardown() {
        await admin?.close();
        await emulator?.stop();
      },
    };
  },
  seeded: { namespace: '(default)', entity: 'users/orders' },
  refused: async () => ({ profile: profile({ projectId: 'refused-project', emulatorHost: `127.0.0.1:${await freePort()}` }), secret }),
  async badCredentials() {
    const server = await startStatusServer({ code: 16, details: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.' });
    return { profile: profile({ projectId: 'rejected-key', emulatorHost: server.host }), secret, code: 'AUTHENTICATION_FAILED', teardown: () => server.stop() };
  },
  async stalled() {
    const hole = await startBlackHole();
    return { profile: profile({ projectId: 'stalled-project', emulatorHost: `127.0.0.1:${hole.port}`, connectTimeoutMs: 500 }), secret, teardown: () => hole.close() };
  },
  stalledWithinMs: 3_000,
});
