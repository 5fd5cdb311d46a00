import type { BackendModule } from '../../core/backend';
import { DOCS_MARKDOWN, TS_TYPES, ZOD } from '../../core/codegen/targets';
import { MONGO_VALUE_MAPPING } from './mapping';
import { DEFAULT_HOSTS, DEFAULT_SAMPLE_SIZE, describeMongo, hostsProblem, MongoOptions } from './options';
import { formatMongoUrl, parseMongoConnection } from './url';

const sampleSize = (v: string) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100_000 ? undefined : 'Sample between 1 and 100,000 documents');

/** MongoDB 4.4+ (also Atlas) over the official driver; schemas from `$jsonSchema` validators or a sample. */
export const mongodbBackend: BackendModule<MongoOptions> = {
  kind: 'mongodb',
  label: 'MongoDB',
  description: 'MongoDB 4.4+ and Atlas: schemas from $jsonSchema validators, or inferred from a sample',
  schemes: ['mongodb', 'mongodb+srv'],
  options: MongoOptions,
  secrets: [{ key: 'password', label: 'Password', optional: true, env: 'MONGODB_PASSWORD' }],
  parse: parseMongoConnection,
  format: formatMongoUrl,
  describe: describeMongo,
  form: [
    { key: 'srv', label: 'DNS seed list (mongodb+srv, e.g. Atlas)', input: 'boolean', default: false },
    {
      key: 'hosts',
      label: 'Hosts',
      input: 'text',
      default: DEFAULT_HOSTS,
      hint: 'host:port, comma-separated for a replica set; for mongodb+srv one DNS name without a port',
      validate: (v) => hostsProblem(v, false),
    },
    { key: 'database', label: 'Database', input: 'text', optional: true, hint: 'Leave empty to read every database (admin, config and local aside).' },
    { key: 'user', label: 'User', input: 'text', optional: true },
    { key: 'password', label: 'Password', input: 'text', secret: true, optional: true, hint: 'Kept in your OS keychain, never in a file.', when: (v) => !!v.user },
    { key: 'authSource', label: 'Authentication database', input: 'text', optional: true, placeholder: 'admin', when: (v) => !!v.user },
    // mongodb+srv turns TLS on by itself; asking would store an explicit `tls: false` that turns it off.
    { key: 'tls', label: 'TLS', input: 'boolean', default: false, when: (v) => !v.srv },
    { key: 'replicaSet', label: 'Replica set name', input: 'text', optional: true, when: (v) => !v.srv },
    { key: 'sampleSize', label: 'Documents sampled per collection', input: 'number', default: DEFAULT_SAMPLE_SIZE, validate: sampleSize },
  ],
  capabilities: { introspect: true, crud: true, preview: true, ddl: false, subscribe: false, migrateFrom: false, migrateTo: false },
  targets: [
    { ...TS_TYPES, default: true },
    {
      id: 'mongo-crud',
      label: 'MongoDB collections (official driver)',
      description: 'typed Collection<T> accessors: findById, find, insertOne, updateOne and deleteOne by _id, over a Db you pass in',
      default: true,
      requires: ['ts-types'],
      load: async () => (await import('./targets/mongoCrud')).mongoCrudTarget,
    },
    ZOD,
    DOCS_MARKDOWN,
  ],
  valueMapping: MONGO_VALUE_MAPPING,
  load: async () => (await import('./driver')).mongoDriver,
};
