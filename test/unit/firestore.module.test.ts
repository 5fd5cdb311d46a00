/**
 * The Firestore backend module without a server: connection strings, options, the wizard's checks, the
 * service-account key's validation (the field named, the key never echoed), paths, the value classifier and
 * the error classification of the answers Cloud Firestore and google-auth give.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DocumentReference, FieldValue, GeoPoint, getFirestore, Timestamp } from 'firebase-admin/firestore';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { firestoreBackend } from '../../src/backends/firestore';
import { firestoreClassifier } from '../../src/backends/firestore/classify';
import { classifyFirestoreError } from '../../src/backends/firestore/errors';
import { FirestoreOptions } from '../../src/backends/firestore/options';
import { paramName, partsOf, patternOf, patternOfPath } from '../../src/backends/firestore/paths';
import { loadServiceAccount, parseServiceAccount, secretSpellings } from '../../src/backends/firestore/serviceAccount';
import { resolveTarget } from '../../src/backends/firestore/target';
import { isPlugboardError, PlugboardError } from '../../src/core/errors';
import { assertNoCanary, CANARY } from '../support/canary';
import { assertNoPrivateKey, makeServiceAccount, withFields } from '../support/firestore/serviceAccountKey';

function refusal(work: () => unknown): PlugboardError {
  try {
    work();
  } catch (err) {
    assert.ok(isPlugboardError(err), `expected a PlugboardError, got ${String(err)}`);
    assert.doesNotMatch(err.message, /[\r\n]/);
    return err;
  }
  throw new Error('expected a refusal');
}

describe('Firestore backend module', () => {
  const account = makeServiceAccount('plugboard-unit');

  describe('firestore:// connection strings', () => {
    const parse = firestoreBackend.parse;

    it('reads the project, the collections hint, the emulator and the sampling settings; never a secret', () => {
      assert.deepEqual(parse('firestore://my-project'), { options: { projectId: 'my-project' }, secret: {} });
      assert.deepEqual(parse(' firestore://my-project/?collections=users,orders,users&emulator=127.0.0.1:8080&database=(default)&sampleSize=50&depth=0 ').options, {
        projectId: 'my-project',
        collections: ['users', 'orders'],
        emulatorHost: '127.0.0.1:8080',
        sampleSize: 50,
        depth: 0,
      });
      assert.deepEqual(parse('firestore://my-project?database=orders-db&emulator=[::1]:9090').options, { projectId: 'my-project', databaseId: 'orders-db', emulatorHost: '[::1]:9090' });
      assert.deepEqual(parse('firestore://example.com:legacy-app').options, { projectId: 'example.com:legacy-app' }, 'a domain-scoped project id is no URL host');
    });

    it('round-trips through format, a comma in a collection id included', () => {
      const options: FirestoreOptions = { projectId: 'my-project', collections: ['a,b', 'c d', 'é'], emulatorHost: 'localhost:8080', databaseId: 'other-db', sampleSize: 20, depth: 3 };
      const url = firestoreBackend.format(options)!;
      assert.deepEqual(parse(url).options, options);
      assert.equal(firestoreBackend.format({ projectId: 'p-roject' }), 'firestore://p-roject');
    });

    it('refuses bad input with a message that names what is wrong', () => {
      const cases: [string, RegExp][] = [
        ['firestore://', /names no project id/],
        ['firestore://My_Project', /not a Google Cloud project id/],
        ['firestore://me:secret@my-project', /carries no credentials/],
        ['firestore://my-project?emulator=localhost', /host:port/],
        ['firestore://my-project?emulator=localhost:99999', /1 to 65535/],
        ['firestore://my-project?collections=a/b', /not a valid root collection id/],
        ['firestore://my-project?collections=__x__', /not a valid root collection id/],
        ['firestore://my-project?sampleSize=0', /sampleSize must be a whole number from 1/],
        ['firestore://my-project?depth=11', /depth must be/],
        ['firestore://my-project?depth=1&depth=2', /given 2 times/],
        ['firestore://my-project?password=x', /Unknown firestore:\/\/ parameter "password"/],
        ['firestore://my-project?database=Bad_DB', /not a Firestore database id/],
        ['postgres://my-project', /firestore:\/\/<project-id>/],
      ];
      for (const [text, message] of cases) {
        const err = refusal(() => parse(text));
        assert.equal(err.code, 'INVALID_CONFIG', text);
        assert.match(err.message, message, text);
        assert.match(err.hint, /firestore:\/\/my-project/);
      }
      assert.doesNotMatch(refusal(() => parse('firestore://me:secret@my-project')).message, /secret/);
    });

    it('describes where a profile points', () => {
      assert.equal(firestoreBackend.describe({ projectId: 'my-project' }), 'my-project');
      assert.equal(firestoreBackend.describe({ projectId: 'my-project', emulatorHost: '127.0.0.1:8080' }), 'my-project (emulator 127.0.0.1:8080)');
      assert.equal(firestoreBackend.describe({ projectId: 'my-project', auth: 'emulator' }), 'my-project (emulator)');
      assert.equal(firestoreBackend.describe({ projectId: 'my-project', databaseId: 'db-two', auth: 'serviceAccount', emulatorHost: '127.0.0.1:8080' }), 'my-project/db-two');
    });
  });

  describe('options and the wizard', () => {
    it('validates options strictly, naming the field', () => {
      assert.ok(FirestoreOptions.safeParse({ projectId: 'my-project', sampleSize: 500, depth: 2, collections: ['users'] }).success);
      const bad = FirestoreOptions.safeParse({ projectId: 'my-project', sampleSize: 0 });
      assert.equal(bad.success, false);
      assert.deepEqual(bad.error?.issues[0]?.path, ['sampleSize']);
      assert.equal(FirestoreOptions.safeParse({ projectId: 'my-project', privateKey: 'x' }).success, false, 'no stray (secret) keys in a profile');
    });

    it('asks for the project, then the emulator address or the key file, each checked', () => {
      const field = (key: string) => firestoreBackend.form.find((f) => f.key === key)!;
      assert.deepEqual(firestoreBackend.form.map((f) => f.key), ['projectId', 'auth', 'emulatorHost', 'serviceAccount']);
      assert.equal(field('projectId').validate!('my-project'), undefined);
      assert.match(field('projectId').validate!('My Project')!, /project id/);
      assert.equal(field('emulatorHost').when!({ auth: 'emulator' }), true);
      assert.equal(field('emulatorHost').when!({ auth: 'serviceAccount' }), false);
      assert.match(field('emulatorHost').validate!('nohost')!, /host:port/);
      const key = field('serviceAccount');
      assert.equal(key.input, 'file');
      assert.equal(key.secret, true);
      assert.equal(key.when!({ auth: 'serviceAccount' }), true);
      assert.equal(key.validate!(account.json), undefined);
      const problem = key.validate!(withFields(account, { client_email: undefined }))!;
      assert.match(problem, /"client_email"/);
      assertNoPrivateKey(problem, account.privateKey, 'the wizard message');
    });

    it('offers ts-types, the converters and zod (which need ts-types) and docs, and says what generated types are', () => {
      assert.deepEqual(firestoreBackend.targets.map((t) => [t.id, !!t.default, t.requires ?? []]), [
        ['ts-types', true, []],
        ['firestore-converters', true, ['ts-types']],
        ['zod', false, ['ts-types']],
        ['docs-markdown', false, []],
      ]);
      assert.deepEqual(firestoreBackend.secrets, [{ key: 'serviceAccount', label: 'Service-account key (JSON)', optional: true, env: 'GOOGLE_APPLICATION_CREDENTIALS' }]);
      assert.equal(firestoreBackend.valueMapping.types.timestamptz?.row, 'Timestamp');
      assert.equal(firestoreBackend.valueMapping.types.timestamptz?.write, 'Timestamp | Date');
      assert.equal(firestoreBackend.valueMapping.types.bytes?.row, 'Buffer');
    });
  });

  describe('the service-account key', () => {
    it('reads a key file as Google hands it out', () => {
      const sa = parseServiceAccount(account.json);
      assert.equal(sa.projectId, 'plugboard-unit');
      assert.equal(sa.clientEmail, account.fields.client_email);
      assert.equal(sa.privateKey, account.privateKey);
    });

    it('names the field that is wrong and never echoes the key', () => {
      const canaryKey = `-----BEGIN PRIVATE KEY-----\n${CANARY}\n-----END PRIVATE KEY-----\n`;
      const cases: [string, RegExp][] = [
        [`{"type": "service_account", "private_key": "${account.privateKey.replace(/\n/g, '\\n')}"`, /not valid JSON/],
        [`{"private_key": "${CANARY}", oops}`, /not valid JSON/],
        ['[1, 2]', /not a JSON object/],
        [withFields(account, { type: 'authorized_user' }), /"type" is "authorized_user"; it must be "service_account"/],
        [withFields(account, { type: undefined }), /"type" is missing/],
        [withFields(account, { type: CANARY }), /"type" is not a known type/],
        [withFields(account, { project_id: undefined }), /no "project_id"/],
        [withFields(account, { client_email: '' }), /no "client_email"/],
        [withFields(account, { client_email: 'nobody' }), /"client_email" is not an e-mail address/],
        [withFields(account, { private_key: undefined }), /no "private_key"/],
        [withFields(account, { private_key: 42 }), /no "private_key"/],
        [withFields(account, { private_key: CANARY }), /"private_key" is not a PEM private key/],
        [withFields(account, { private_key: canaryKey }), /"private_key" cannot be read as a private key/],
        [withFields(account, { private_key: account.privateKey.slice(0, 400) }), /"private_key" cannot be read/],
      ];
      for (const [text, message] of cases) {
        const err = refusal(() => parseServiceAccount(text));
        assert.equal(err.code, 'INVALID_CONFIG');
        assert.match(err.message, message);
        for (const shown of [err.message, err.hint, err.toDisplayString(), JSON.stringify(err)]) {
          assertNoPrivateKey(shown, account.privateKey, 'a key validation error');
          assertNoCanary(shown, 'a key validation error');
        }
      }
    });

    it('reads the file GOOGLE_APPLICATION_CREDENTIALS names, without saying what is in it', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-fs-key-'));
      try {
        const file = path.join(dir, 'key.json');
        await fs.writeFile(file, account.json);
        assert.equal((await loadServiceAccount(file)).privateKey, account.privateKey);
        await fs.writeFile(file, withFields(account, { private_key: CANARY }));
        const bad = await loadServiceAccount(file).then(() => assert.fail('accepted'), (e: PlugboardError) => e);
        assert.match(bad.message, /"private_key"/);
        assertNoCanary(bad.message, 'the error');
        const missing = await loadServiceAccount(path.join(dir, 'nope.json')).then(() => assert.fail('accepted'), (e: PlugboardError) => e);
        assert.match(missing.message, /Cannot read the service-account key file: no such file/);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });

    it('gives the redactor every spelling of the key: PEM, JSON-escaped, each line', () => {
      const spellings = secretSpellings(parseServiceAccount(account.json));
      assert.ok(spellings.includes(account.privateKey));
      assert.ok(spellings.includes(JSON.stringify(account.privateKey).slice(1, -1)));
      for (const line of account.privateKey.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))) assert.ok(spellings.includes(line));
    });
  });

  describe('where a connection goes', () => {
    const env = { FIRESTORE_EMULATOR_HOST: '127.0.0.1:9999' };

    it('follows FIRESTORE_EMULATOR_HOST for a bare project id, as firebase-admin does', async () => {
      assert.deepEqual(await resolveTarget({ projectId: 'my-project' }, {}, env), { kind: 'emulator', host: '127.0.0.1:9999', fromEnv: true });
      assert.deepEqual(await resolveTarget({ projectId: 'my-project', emulatorHost: 'localhost:8080' }, {}, env), { kind: 'emulator', host: 'localhost:8080', fromEnv: false });
    });

    it('lets an explicit service-account profile win over the variable', async () => {
      const target = await resolveTarget({ projectId: 'my-project', auth: 'serviceAccount', emulatorHost: 'localhost:8080' }, { serviceAccount: account.json }, env);
      assert.equal(target.kind, 'cloud');
      assert.equal(target.kind === 'cloud' && target.account.clientEmail, account.fields.client_email);
    });

    it('refuses what cannot connect, saying what to set', async () => {
      const noKey = await resolveTarget({ projectId: 'my-project' }, {}, {}).then(() => assert.fail('accepted'), (e: PlugboardError) => e);
      assert.equal(noKey.code, 'INVALID_CONFIG');
      assert.match(noKey.hint, /GOOGLE_APPLICATION_CREDENTIALS/);
      const noHost = await resolveTarget({ projectId: 'my-project', auth: 'emulator' }, {}, {}).then(() => assert.fail('accepted'), (e: PlugboardError) => e);
      assert.match(noHost.message, /names no emulator address/);
      const badEnv = await resolveTarget({ projectId: 'my-project' }, {}, { FIRESTORE_EMULATOR_HOST: 'nonsense' }).then(() => assert.fail('accepted'), (e: PlugboardError) => e);
      assert.match(badEnv.message, /^FIRESTORE_EMULATOR_HOST: /);
    });
  });

  describe('paths', () => {
    it('names path parameters after the collection, singular, distinct', () => {
      assert.equal(patternOf(['users', 'orders', 'items']), 'users/{userId}/orders/{orderId}/items');
      assert.equal(patternOf(['categories', 'addresses', 'status', 'boxes']), 'categories/{categoryId}/addresses/{addressId}/status/{statusId}/boxes');
      assert.equal(patternOf(['users', 'users', 'x']), 'users/{userId}/users/{userId2}/x');
      assert.equal(patternOf(['my-stuff', 'class']), 'my-stuff/{myStuffId}/class');
      assert.equal(patternOfPath('users/alice/orders'), 'users/{userId}/orders');
      assert.deepEqual(partsOf('users/{userId}/orders'), { collections: ['users', 'orders'], params: ['userId'] });
      assert.equal(paramName('42', new Set()), 't42Id');
    });
  });

  describe('the value classifier', () => {
    it('tells Firestore\'s value types apart (integers are bigint when read with useBigInt)', async () => {
      const app = initializeApp({ projectId: 'classifier-test' }, `classifier-${process.pid}`);
      try {
        const db = getFirestore(app);
        const kinds = (value: unknown) => {
          const c = firestoreClassifier.classify(value);
          return c && [c.type, c.nativeType, 'refPath' in c ? c.refPath : undefined];
        };
        assert.deepEqual(kinds(1n), ['integer', 'integer', undefined]);
        assert.deepEqual(kinds(2), ['float', 'double', undefined]);
        assert.deepEqual(kinds(2.5), ['float', 'double', undefined]);
        assert.deepEqual(kinds('s'), ['string', 'string', undefined]);
        assert.deepEqual(kinds(false), ['boolean', 'boolean', undefined]);
        assert.deepEqual(kinds(null), ['null', 'null', undefined]);
        assert.equal(kinds(undefined), undefined);
        assert.deepEqual(kinds(Timestamp.now()), ['timestamptz', 'timestamp', undefined]);
        assert.deepEqual(kinds(new GeoPoint(1, 2)), ['geopoint', 'geopoint', undefined]);
        assert.deepEqual(kinds(Buffer.from('x')), ['bytes', 'bytes', undefined]);
        assert.deepEqual(kinds(FieldValue.vector([1, 2])), ['unknown', 'vector', undefined]);
        assert.deepEqual(kinds(db.doc('users/u1')), ['reference', 'reference', 'users']);
        assert.ok(db.doc('users/u1/orders/o1') instanceof DocumentReference);
        assert.deepEqual(kinds(db.doc('users/u1/orders/o1')), ['reference', 'reference', 'users/{userId}/orders']);
        assert.deepEqual(kinds([1]), ['array', 'array', undefined]);
        assert.deepEqual(kinds({ a: 1 }), ['object', 'map', undefined]);
        assert.deepEqual(kinds(Object.create(null)), ['object', 'map', undefined]);
        assert.deepEqual(kinds(new (class Odd {})()), ['unknown', 'unknown', undefined]);
      } finally {
        await deleteApp(app);
      }
    });
  });

  describe('errors', () => {
    // gRPC's own errors read "7 PERMISSION_DENIED: …"; google-gax's retry deadline reads "Total timeout of API …".
    const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });
    const gaxTimeout = (text: string) => Object.assign(new Error(`Total timeout of API google.firestore.v1.Firestore exceeded ${text}`), { code: 4 });
    const cases: [Error, string][] = [
      [grpcError(7, 'PERMISSION_DENIED: Missing or insufficient permissions.'), 'PERMISSION_DENIED'],
      [grpcError(16, 'UNAUTHENTICATED: Request had invalid authentication credentials.'), 'AUTHENTICATION_FAILED'],
      [grpcError(7, 'PERMISSION_DENIED: Cloud Firestore API has not been used in project 123 before or it is disabled.'), 'DATABASE_NOT_FOUND'],
      [grpcError(7, 'PERMISSION_DENIED: Permission denied on resource project nope.'), 'DATABASE_NOT_FOUND'],
      [grpcError(5, 'NOT_FOUND: The database (default) does not exist for project nope'), 'DATABASE_NOT_FOUND'],
      [grpcError(5, 'NOT_FOUND: No document to update: x'), 'NOT_FOUND'],
      [grpcError(9, 'FAILED_PRECONDITION: The Cloud Firestore API is not available for Firestore in Datastore Mode database'), 'DATABASE_NOT_FOUND'],
      [grpcError(8, 'RESOURCE_EXHAUSTED: Quota exceeded.'), 'QUOTA_EXCEEDED'],
      [grpcError(4, 'DEADLINE_EXCEEDED: Deadline exceeded'), 'CONNECTION_TIMEOUT'],
      [gaxTimeout('2000 milliseconds retrying error Error: 14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1.'), 'CONNECTION_REFUSED'],
      [gaxTimeout('3000 milliseconds retrying error Error: 14 UNAVAILABLE: Name resolution failed for target dns:firestore.googleapis.com:443  before any response was received.'), 'HOST_NOT_FOUND'],
      [grpcError(14, 'UNAVAILABLE: Getting metadata from plugin failed with error: invalid_grant: Invalid JWT Signature.'), 'AUTHENTICATION_FAILED'],
      [grpcError(14, 'UNAVAILABLE: The service is currently unavailable.'), 'SERVER_UNAVAILABLE'],
      [grpcError(1, 'CANCELLED: Call cancelled'), 'CONNECTION_LOST'],
      [grpcError(12, 'UNIMPLEMENTED: nope'), 'INTERNAL'],
      [Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), 'CONNECTION_TIMEOUT'],
    ];
    it('maps gRPC statuses and the causes inside them to Plugboard codes', () => {
      for (const [err, code] of cases) assert.equal(classifyFirestoreError(err, 'Listing').code, code, err.message);
      assert.match(classifyFirestoreError(cases[0]![0], 'Listing root collections').message, /^Listing root collections: /);
      assert.equal(
        classifyFirestoreError(cases[10]![0], 'Listing').message,
        'Listing: no answer within 3000 ms; last error: 14 UNAVAILABLE: Name resolution failed for target dns:firestore.googleapis.com:443',
        "google-gax's retry wording is shortened",
      );
    });
  });
});
