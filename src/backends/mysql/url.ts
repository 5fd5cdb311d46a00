import type { ConnectionText } from '../../core/backend';
import { PlugboardError } from '../../core/errors';
import { SSL_MODES, type MySqlOptions, type SslMode } from './options';

/**
 * `mysql://` and `mariadb://` connection strings: `scheme://user:password@host:port/database?params`, with
 * the mysql client's option names as parameters. The password is handed back apart (it goes to the secret
 * store); no error message repeats any part of the text that could hold it.
 */
const PARAMS: Record<string, (options: MySqlOptions, value: string) => void> = {
  'ssl-mode': (o, v) => {
    const mode = v.toUpperCase();
    if (!(SSL_MODES as readonly string[]).includes(mode)) throw invalid(`Invalid ssl-mode "${v}": use one of ${SSL_MODES.join(', ')}.`);
    o.sslMode = mode as SslMode;
  },
  'ssl-ca': (o, v) => (o.sslCa = nonEmpty('ssl-ca', v)),
  'ssl-cert': (o, v) => (o.sslCert = nonEmpty('ssl-cert', v)),
  'ssl-key': (o, v) => (o.sslKey = nonEmpty('ssl-key', v)),
  socket: (o, v) => (o.socketPath = nonEmpty('socket', v)),
};

export const URL_SCHEMES = ['mysql', 'mariadb'] as const;

export function parseMySqlConnection(text: string): ConnectionText<MySqlOptions> {
  const input = text.trim();
  if (!input) throw invalid('The connection string is empty.');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(input)?.[1]?.toLowerCase();
  if (!scheme) throw invalid('A MySQL connection string starts with mysql:// or mariadb://.');
  if (!(URL_SCHEMES as readonly string[]).includes(scheme)) {
    throw invalid(`Unsupported scheme "${scheme}://" for MySQL; use mysql:// or mariadb://.`);
  }
  if (/%(?![0-9a-f]{2})/i.test(input)) {
    throw invalid('The connection URL has a malformed % escape; percent-encode special characters (e.g. in the password).');
  }
  if (input.includes('#')) throw invalid('The connection URL has a "#"; percent-encode it as %23 (e.g. in the password).');
  // The WHATWG parser checks the host and port; as http: it also takes an IPv6 [address]. A URL without a
  // host (socket connections) gets a stand-in that is dropped again below.
  const rest = input.slice(scheme.length + 3);
  const authorityEnd = rest.search(/[/?]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const hostless = authority.slice(authority.lastIndexOf('@') + 1) === '';
  let url: URL;
  try {
    url = new URL(`http://${hostless ? `${authority}localhost${rest.slice(authority.length)}` : rest}`);
  } catch {
    throw invalid('The connection URL is malformed (check the host, the port and any special characters).');
  }
  const options: MySqlOptions = {};
  const user = decode(url.username, 'user name');
  const password = decode(url.password, 'password');
  if (user) options.user = user;
  if (!hostless) options.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.port) {
    const port = Number(url.port);
    if (port < 1) throw invalid('The port in the connection URL must be between 1 and 65535.');
    options.port = port;
  }
  const path = url.pathname.replace(/^\//, '');
  if (path.includes('/')) throw invalid('The connection URL names more than one database in its path; give one: mysql://host/database.');
  if (path) options.database = decode(path, 'database name');
  const seen = new Set<string>();
  for (const [key, value] of url.searchParams) {
    const apply = PARAMS[key];
    if (!apply) throw invalid(`Unknown parameter "${key}" in the connection URL; known: ${Object.keys(PARAMS).join(', ')}.`);
    if (seen.has(key)) throw invalid(`The parameter "${key}" is given twice in the connection URL.`);
    seen.add(key);
    apply(options, value);
  }
  return { options, secret: password ? { password } : {} };
}

/** The profile's options as a `mysql://` URL, never with a password. */
export function formatMySqlUrl(o: MySqlOptions): string {
  const user = o.user ? `${encodeURIComponent(o.user)}@` : '';
  const host = o.host ?? (o.socketPath ? '' : 'localhost');
  const hostPart = host.includes(':') ? `[${host}]` : encodeURIComponent(host);
  const port = o.port ? `:${o.port}` : '';
  const db = o.database ? `/${encodeURIComponent(o.database)}` : '';
  const params = [
    ['ssl-mode', o.sslMode],
    ['ssl-ca', o.sslCa],
    ['ssl-cert', o.sslCert],
    ['ssl-key', o.sslKey],
    ['socket', o.socketPath],
  ]
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2F/gi, '/')}`);
  return `mysql://${user}${hostPart}${port}${db}${params.length ? `?${params.join('&')}` : ''}`;
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(`The ${what} in the connection URL has a malformed % escape.`);
  }
}

function nonEmpty(key: string, value: string): string {
  if (!value) throw invalid(`The parameter "${key}" in the connection URL is empty.`);
  return value;
}

function invalid(message: string): PlugboardError {
  return new PlugboardError('INVALID_CONFIG', message, { hint: 'Example: mysql://user@host:3306/database?ssl-mode=REQUIRED' });
}
