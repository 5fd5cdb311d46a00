import type { BackendModule, FieldSpec } from '../../core/backend';
import { DOCS_MARKDOWN, TS_TYPES, ZOD } from '../../core/codegen/targets';
import { MYSQL_VALUE_MAPPING } from './mapping';
import { DEFAULT_PORT, DEFAULT_USER, describeMySql, MySqlOptions, SSL_MODES } from './options';
import { formatMySqlUrl, parseMySqlConnection, URL_SCHEMES } from './url';

const SSL_HINTS: Record<(typeof SSL_MODES)[number], string> = {
  DISABLED: 'never TLS',
  PREFERRED: 'TLS when the server offers it (default)',
  REQUIRED: 'always TLS, certificate not checked',
  VERIFY_CA: 'TLS, certificate signed by a trusted CA',
  VERIFY_IDENTITY: 'TLS, trusted certificate for this host name',
};

const port = (v: string) => (/^\d+$/.test(v) && Number(v) > 0 && Number(v) < 65536 ? undefined : 'A port is a number from 1 to 65535');
const usesTls = (values: Readonly<Record<string, unknown>>) => values.sslMode !== 'DISABLED';
const verifies = (values: Readonly<Record<string, unknown>>) => values.sslMode === 'VERIFY_CA' || values.sslMode === 'VERIFY_IDENTITY';

const FORM: readonly FieldSpec[] = [
  { key: 'host', label: 'Host', input: 'text', default: 'localhost' },
  { key: 'port', label: 'Port', input: 'number', default: DEFAULT_PORT, validate: port },
  { key: 'database', label: 'Database', input: 'text', optional: true, hint: 'Introspected and used by default; leave empty for every database you can see.' },
  { key: 'user', label: 'User', input: 'text', default: DEFAULT_USER },
  { key: 'password', label: 'Password', input: 'text', secret: true, optional: true, hint: 'Kept in your OS keychain, never in a file.' },
  {
    key: 'sslMode',
    label: 'SSL mode',
    input: 'choice',
    default: 'PREFERRED',
    choices: SSL_MODES.map((m) => ({ value: m, description: SSL_HINTS[m] })),
  },
  { key: 'sslCa', label: 'CA certificate', input: 'file', optional: true, hint: 'PEM file of the CA that signed the server certificate.', when: verifies },
  { key: 'sslCert', label: 'Client certificate', input: 'file', optional: true, hint: 'Only for servers that ask for one (REQUIRE X509).', when: usesTls },
  { key: 'sslKey', label: 'Client key', input: 'file', optional: true, hint: 'The private key of the client certificate.', when: (v) => usesTls(v) && !!v.sslCert },
  {
    key: 'tinyint1AsBoolean',
    label: 'TINYINT(1) as boolean',
    input: 'boolean',
    default: true,
    hint: 'MySQL stores BOOL as TINYINT(1); off: such columns are numbers.',
  },
];

/** MySQL 8 and MariaDB 10.x over mysql2 (also PlanetScale, Aurora MySQL, TiDB in MySQL mode). */
export const mysqlBackend: BackendModule<MySqlOptions> = {
  kind: 'mysql',
  label: 'MySQL / MariaDB',
  description: 'MySQL 8 and MariaDB 10.x (mysql2)',
  schemes: URL_SCHEMES,
  options: MySqlOptions,
  secrets: [{ key: 'password', label: 'Password', optional: true, env: 'MYSQL_PWD' }],
  parse: parseMySqlConnection,
  format: formatMySqlUrl,
  describe: describeMySql,
  form: FORM,
  capabilities: { introspect: true, crud: true, preview: true, ddl: true, subscribe: false, migrateFrom: false, migrateTo: false },
  targets: [
    { ...TS_TYPES, default: true },
    {
      id: 'mysql-crud',
      label: 'MySQL CRUD (mysql2)',
      description: 'get / list / count / insert / update / delete by primary key, using a mysql2 Pool you pass in',
      default: true,
      requires: ['ts-types'],
      load: async () => (await import('./targets/mysqlCrud')).mysqlCrudTarget,
    },
    ZOD,
    DOCS_MARKDOWN,
  ],
  valueMapping: MYSQL_VALUE_MAPPING,
  load: async () => (await import('./driver')).mysqlDriver,
};
