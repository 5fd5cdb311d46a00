import type { BackendModule } from '../../core/backend';
import { DOCS_MARKDOWN, TS_TYPES, ZOD } from '../../core/codegen/targets';
import { FIRESTORE_VALUE_MAPPING } from './mapping';
import { describeFirestore, emulatorHostProblem, FirestoreOptions, PROJECT_ID } from './options';
import { serviceAccountProblem } from './serviceAccount';
import { formatFirestoreUrl, parseFirestoreUrl } from './url';

/** A key pasted or picked as JSON is checked field by field; anything else is taken for the key file's path. */
const keyProblem = (v: string) => (v.trimStart().startsWith('{') ? serviceAccountProblem(v) : undefined);

/** Cloud Firestore (native mode) through firebase-admin, or the Firestore emulator. */
export const firestoreBackend: BackendModule<FirestoreOptions> = {
  kind: 'firestore',
  label: 'Firebase Firestore',
  description: 'Cloud Firestore with a service-account key, or the Firestore emulator',
  schemes: ['firestore'],
  options: FirestoreOptions,
  secrets: [{ key: 'serviceAccount', label: 'Service-account key (JSON)', optional: true, env: 'GOOGLE_APPLICATION_CREDENTIALS' }],
  parse: parseFirestoreUrl,
  format: formatFirestoreUrl,
  describe: describeFirestore,
  form: [
    {
      key: 'projectId',
      label: 'Project id',
      input: 'text',
      placeholder: 'my-project',
      hint: 'Firebase console → Project settings → Project ID',
      validate: (v) => (PROJECT_ID.test(v) ? undefined : 'A project id is 6-30 lower-case letters, digits or hyphens, starting with a letter'),
    },
    {
      key: 'auth',
      label: 'Connect to',
      input: 'choice',
      default: 'serviceAccount',
      choices: [
        { value: 'serviceAccount', label: 'Cloud Firestore', description: 'with a service-account key file' },
        { value: 'emulator', label: 'The Firestore emulator', description: 'no credentials' },
      ],
    },
    {
      key: 'emulatorHost',
      label: 'Emulator address',
      input: 'text',
      default: '127.0.0.1:8080',
      hint: 'host:port, as in FIRESTORE_EMULATOR_HOST',
      when: (values) => values.auth === 'emulator',
      validate: emulatorHostProblem,
    },
    {
      key: 'serviceAccount',
      label: 'Service-account key file (JSON)',
      input: 'file',
      secret: true,
      hint: 'Its content is kept in your OS keychain; the file is not copied.',
      when: (values) => values.auth !== 'emulator',
      validate: keyProblem,
    },
  ],
  capabilities: { introspect: true, crud: true, preview: true, ddl: false, subscribe: false, migrateFrom: false, migrateTo: false },
  targets: [
    { ...TS_TYPES, default: true },
    {
      id: 'firestore-converters',
      label: 'Firestore converters (firebase-admin)',
      description: 'A FirestoreDataConverter per collection, typed collection and document refs (subcollections too), Timestamps as Date',
      default: true,
      requires: ['ts-types'],
      load: async () => (await import('./targets/converters')).firestoreConvertersTarget,
    },
    ZOD,
    DOCS_MARKDOWN,
  ],
  valueMapping: FIRESTORE_VALUE_MAPPING,
  load: async () => (await import('./driver')).firestoreDriver,
};
