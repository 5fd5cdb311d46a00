import type * as PgConnectionString from 'pg-connection-string';
import { lazyModule } from '../../core/lazy';
import type { ConnectionText } from '../../core/backend';
import { PlugboardError } from '../../core/errors';
import { isWellFormedText } from '../../core/text';
import { SSL_MODES, type PgOptions, type SslMode } from './options';

// The parser loads when a connection string is first read, not at activation.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pgConnectionString = lazyModule(() => require('pg-connection-string') as typeof PgConnectionString);

export interface ParsedConnection {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: SslMode;
  /** CA certificate file (verify-ca, verify-full, and require when given), or `system` for the platform's CAs. */
  sslRootCert?: string;
  sslCert?: string;
  sslKey?: string;
  connectTimeoutMs?: number;
  applicationName?: string;
  /** libpq's `options`: command-line options sent to the server at connect (`-c search_path=app`). */
  serverOptions?: string;
  /** Kept apart from the profile fields: it goes to the secret store, never to a profile. */
  password?: string;
}

/** A connection string as profile options and the password it carried (kept apart: it goes to SecretStorage). */
export function parsePgConnection(text: string): ConnectionText<PgOptions> {
  const { password, ...options } = parsePostgresConnectionString(text);
  return { options, secret: password !== undefined ? { password } : {} };
}

/**
 * Parses `postgres://…`, `postgresql://…` (with pg-connection-string for the part before the query) or libpq
 * `key=value` text, the way libpq reads them: the last of a repeated parameter wins, `ssl=true` means
 * `sslmode=require`, and a parameter Plugboard does not support is an error that names it, never dropped.
 */
export function parsePostgresConnectionString(text: string): ParsedConnection {
  const input = text.trim();
  if (!input) throw invalid('The connection string is empty.');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return fromUrl(input);
  if (/^[A-Za-z_]+\s*=/.test(input)) return fromKeyValue(parseKeyValue(input));
  throw invalid('The connection string is neither a postgres:// URL nor libpq key=value pairs.');
}

function fromUrl(input: string): ParsedConnection {
  const scheme = input.slice(0, input.indexOf(':')).toLowerCase();
  if (scheme !== 'postgres' && scheme !== 'postgresql') {
    throw invalid(`Unsupported scheme "${scheme}://" for PostgreSQL; use postgres:// or postgresql://.`);
  }
  try {
    // Validates the structure (ports, escapes) before pg-connection-string's lenient parse, which would take
    // a stray `%` literally where libpq refuses the URL. Neither message echoes the input: it may hold a password.
    // An empty host (`postgresql:///db`, `postgresql://?host=/socket`) is libpq's default host; the http URL
    // parser needs one to check the rest.
    new URL(input.replace(/^postgres(ql)?:\/\/(?=[/?#]|$)/i, 'http://localhost').replace(/^postgres(ql)?:/i, 'http:'));
  } catch {
    throw invalid('The connection URL is malformed (check the host, the port and any % escapes).');
  }
  if (/%(?![0-9a-f]{2})/i.test(input)) {
    throw invalid('The connection URL has a malformed % escape; percent-encode special characters (e.g. in the password).');
  }
  const { url, params } = splitQuery(input);
  let parsed: ReturnType<typeof PgConnectionString.parse>;
  try {
    parsed = pgConnectionString.parse(url);
  } catch (err) {
    throw invalid(`The connection URL could not be parsed: ${(err as Error).message}`);
  }
  return fromKeyValue({
    host: parsed.host ?? undefined,
    port: parsed.port ?? undefined,
    dbname: databaseOf(url),
    user: parsed.user ?? undefined,
    password: parsed.password ?? undefined,
    ...params,
  });
}

/**
 * The database name: the path after the authority, percent-decoded in full as libpq does
 * (pg-connection-string uses decodeURI, which leaves %2F, %3F, %23 … encoded).
 */
function databaseOf(url: string): string | undefined {
  const raw = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*\/?/i, '');
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalid('The database name in the connection URL has a malformed % escape.');
  }
}

/**
 * Takes the query out of the URL before pg-connection-string sees it (it would pass unknown parameters on,
 * print a "SECURITY WARNING" about its own sslmode semantics and read certificate files itself). Repeated
 * parameters: the last wins, as in libpq. `ssl=true` becomes `sslmode=require` in its place in that order.
 */
function splitQuery(input: string): { url: string; params: Record<string, string> } {
  const at = input.indexOf('?');
  if (at < 0) return { url: input, params: {} };
  const hash = input.indexOf('#', at);
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(input.slice(at + 1, hash < 0 ? undefined : hash))) {
    if (key === 'ssl') {
      if (value !== 'true') throw invalid(`Invalid value for "ssl": only ssl=true (meaning sslmode=require) is understood.`);
      params.sslmode = 'require';
    } else {
      if (!KNOWN_KEYS.has(key)) throw unsupported(key);
      params[key] = value;
    }
  }
  return { url: input.slice(0, at), params };
}

/** Every parameter Plugboard reads; in a URL's query they override the URL's own parts, as in libpq. */
const KNOWN_KEYS = new Set(['host', 'hostaddr', 'port', 'dbname', 'user', 'password', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'connect_timeout', 'application_name', 'options']);
/** libpq parameters Plugboard does not implement: refused by name rather than silently ignored. */
const UNSUPPORTED = new Set([
  'passfile', 'target_session_attrs', 'load_balance_hosts', 'sslpassword', 'sslcrl', 'sslcrldir', 'sslsni', 'sslcompression',
  'sslcertmode', 'sslnegotiation', 'ssl_min_protocol_version', 'ssl_max_protocol_version', 'gssencmode', 'gsslib', 'gssdelegation',
  'krbsrvname', 'requirepeer', 'require_auth', 'channel_binding', 'keepalives', 'keepalives_idle', 'keepalives_interval',
  'keepalives_count', 'tcp_user_timeout', 'replication', 'service', 'client_encoding', 'fallback_application_name', 'uselibpqcompat',
]);

function unsupported(key: string): PlugboardError {
  const what = UNSUPPORTED.has(key) ? 'is not supported by Plugboard' : 'is not a connection parameter Plugboard knows';
  return invalid(`The connection parameter ${shown(key, 40)} ${what}; remove it (nothing is ignored silently).`);
}

// eslint-disable-next-line no-control-regex -- a name with a control character (NUL above all) is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

function name(value: string | undefined, what: string): string | undefined {
  if (value && CONTROL.test(value)) throw invalid(`The ${what} contains a control character (such as NUL); PostgreSQL names cannot hold one.`);
  if (value && !isWellFormedText(value)) throw invalid(`The ${what} is not well-formed Unicode text.`);
  return value || undefined;
}

function fromKeyValue(kv: Record<string, string | undefined>): ParsedConnection {
  const out: ParsedConnection = {};
  const host = name(kv.host || kv.hostaddr, 'host name');
  if (host) out.host = host;
  if (kv.port !== undefined && kv.port !== '') {
    const port = /^\d{1,5}$/.test(kv.port) ? Number(kv.port) : NaN;
    if (!(port >= 1 && port <= 65535)) throw invalid(`Invalid port ${shown(kv.port)}: use a decimal number from 1 to 65535.`);
    out.port = port;
  }
  const database = name(kv.dbname, 'database name');
  if (database) out.database = database;
  const user = name(kv.user, 'user name');
  if (user) out.user = user;
  if (kv.password) out.password = kv.password;
  if (kv.sslmode !== undefined) {
    if (!(SSL_MODES as readonly string[]).includes(kv.sslmode)) {
      throw invalid(kv.sslmode === '' ? 'Empty sslmode: give one of ' + SSL_MODES.join(', ') + '.' : `Invalid sslmode ${shown(kv.sslmode)}: use one of ${SSL_MODES.join(', ')}.`);
    }
    out.sslmode = kv.sslmode as SslMode;
  }
  Object.assign(out, tlsFiles(kv, out.sslmode));
  if (out.sslRootCert === 'system' && !out.sslmode) out.sslmode = 'verify-full';
  if (kv.connect_timeout !== undefined) {
    if (!/^\d+$/.test(kv.connect_timeout)) throw invalid(`Invalid connect_timeout ${shown(kv.connect_timeout)}: give whole seconds.`);
    const seconds = Number(kv.connect_timeout);
    if (seconds > 0) out.connectTimeoutMs = Math.min(600_000, Math.max(1000, seconds * 1000));
  }
  const app = name(kv.application_name, 'application_name');
  if (app) out.applicationName = app;
  const serverOptions = name(kv.options, 'options parameter');
  if (serverOptions) out.serverOptions = serverOptions;
  return out;
}

/** sslrootcert / sslcert / sslkey: file paths read at connect time (sslrootcert=system: the platform's CAs). */
function tlsFiles(kv: Record<string, string | undefined>, mode: SslMode | undefined): Partial<ParsedConnection> {
  const out: Partial<ParsedConnection> = {};
  const file = (key: 'sslrootcert' | 'sslcert' | 'sslkey') => {
    const value = kv[key];
    if (value === undefined) return undefined;
    if (value === '') throw invalid(`Empty ${key}: give a file path or leave the parameter out.`);
    return name(value, key);
  };
  out.sslRootCert = file('sslrootcert');
  out.sslCert = file('sslcert');
  out.sslKey = file('sslkey');
  if (!out.sslCert !== !out.sslKey) throw invalid('sslcert and sslkey go together: give both (a client certificate and its key) or neither.');
  // libpq 16: the system's CAs only make sense with full verification of the host name.
  if (out.sslRootCert === 'system' && mode && mode !== 'verify-full') throw invalid(`sslrootcert=system needs sslmode=verify-full (or no sslmode), not "${mode}".`);
  for (const key of Object.keys(out) as (keyof ParsedConnection)[]) if (out[key] === undefined) delete out[key];
  return out;
}

/**
 * libpq's keyword/value syntax: `key = value` pairs separated by whitespace; values may be single-quoted, and
 * `\'` and `\\` escape inside them. A tokenizer, not a regular expression, so quoted spaces and `=` work.
 */
export function parseKeyValue(input: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const skipSpace = () => {
    while (i < input.length && /\s/.test(input[i]!)) i++;
  };
  while (true) {
    skipSpace();
    if (i >= input.length) break;
    let key = '';
    while (i < input.length && /[A-Za-z0-9_]/.test(input[i]!)) key += input[i++];
    skipSpace();
    if (!key || input[i] !== '=') throw invalid(`Expected "key=value" at position ${i + 1} of the connection string.`);
    i++;
    skipSpace();
    let value = '';
    if (input[i] === "'") {
      i++;
      let closed = false;
      while (i < input.length) {
        const ch = input[i++]!;
        if (ch === '\\' && i < input.length) value += input[i++];
        else if (ch === "'") {
          closed = true;
          break;
        } else value += ch;
      }
      if (!closed) throw invalid(`Unterminated quoted value for "${key}" in the connection string.`);
    } else {
      while (i < input.length && !/\s/.test(input[i]!)) {
        const ch = input[i++]!;
        value += ch === '\\' && i < input.length ? input[i++] : ch;
      }
    }
    if (!KNOWN_KEYS.has(key)) throw UNSUPPORTED.has(key) ? unsupported(key) : invalid(`Unknown connection option ${shown(key, 40)}.`);
    out[key] = value;
  }
  return out;
}

/**
 * The profile's connection string with the password left out, for "Copy Connection String". What the URL's
 * authority cannot carry as is (no host, a socket folder, a host the URL parser would rewrite) goes into the
 * query, where libpq reads it too; so the result parses back to the same options.
 */
export function formatPostgresUrl(p: Pick<PgOptions, 'host' | 'port' | 'database' | 'user' | 'sslmode' | 'sslRootCert' | 'sslCert' | 'sslKey' | 'connectTimeoutMs' | 'applicationName' | 'serverOptions'>): string {
  const hostPart = p.host && p.host.includes(':') && !p.host.startsWith('[') ? `[${p.host}]` : p.host;
  const inAuthority = hostPart !== undefined && isUrlHost(hostPart);
  const params: [string, string | undefined][] = [
    ...(inAuthority ? [] : ([['host', p.host], ['port', p.port?.toString()], ['user', p.user]] as [string, string | undefined][])),
    ['sslmode', p.sslmode],
    ['sslrootcert', p.sslRootCert],
    ['sslcert', p.sslCert],
    ['sslkey', p.sslKey],
    ['connect_timeout', p.connectTimeoutMs === undefined ? undefined : String(Math.ceil(p.connectTimeoutMs / 1000))],
    ['application_name', p.applicationName],
    ['options', p.serverOptions],
  ];
  const authority = inAuthority ? `${p.user ? `${encodeURIComponent(p.user)}@` : ''}${hostPart}${p.port ? `:${p.port}` : ''}` : '';
  const db = p.database ? `/${encodeURIComponent(p.database)}` : '';
  const query = params
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `postgresql://${authority}${db}${query ? `?${query}` : ''}`;
}

/** A host the URL parser keeps exactly as written (no lower-casing, no IDNA, no escapes). */
function isUrlHost(hostPart: string): boolean {
  try {
    return new URL(`http://${hostPart}/`).host === hostPart;
  } catch {
    return false;
  }
}

/** A value quoted in a message: cut short, with control characters and lone surrogates escaped, never raw. */
function shown(value: string, max = 20): string {
  return JSON.stringify(value.slice(0, max)).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function invalid(message: string): PlugboardError {
  return new PlugboardError('INVALID_CONFIG', message, { hint: 'Example: postgresql://user@host:5432/dbname?sslmode=require' });
}
