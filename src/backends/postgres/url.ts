import { parse as parseUrl } from 'pg-connection-string';
import type { ConnectionText } from '../../core/backend';
import { PlugboardError } from '../../core/errors';
import { SSL_MODES, type PgOptions, type SslMode } from './options';

export interface ParsedConnection {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: SslMode;
  connectTimeoutMs?: number;
  /** Kept apart from the profile fields: it goes to the secret store, never to a profile. */
  password?: string;
}

/** A connection string as profile options and the password it carried (kept apart: it goes to SecretStorage). */
export function parsePgConnection(text: string): ConnectionText<PgOptions> {
  const { password, ...options } = parsePostgresConnectionString(text);
  return { options, secret: password !== undefined ? { password } : {} };
}

/** Parses `postgres://…`, `postgresql://…` (with pg-connection-string) or libpq `key=value` text. */
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
    new URL(input.replace(/^postgres(ql)?:/i, 'http:'));
  } catch {
    throw invalid('The connection URL is malformed (check the host, the port and any % escapes).');
  }
  if (/%(?![0-9a-f]{2})/i.test(input)) {
    throw invalid('The connection URL has a malformed % escape; percent-encode special characters (e.g. in the password).');
  }
  const { url, params } = splitTlsParams(input);
  let parsed: ReturnType<typeof parseUrl>;
  try {
    parsed = parseUrl(url);
  } catch (err) {
    throw invalid(`The connection URL could not be parsed: ${(err as Error).message}`);
  }
  const raw = parsed as unknown as Record<string, unknown>;
  return fromKeyValue({
    host: parsed.host ?? undefined,
    port: parsed.port ?? undefined,
    dbname: parsed.database ?? undefined,
    user: parsed.user ?? undefined,
    password: parsed.password ?? undefined,
    sslmode: params.get('sslmode') ?? undefined,
    connect_timeout: typeof raw.connect_timeout === 'string' ? raw.connect_timeout : undefined,
  });
}

/**
 * Takes the TLS parameters out of the URL before pg-connection-string sees it: it prints a "SECURITY
 * WARNING" on stderr for sslmode=prefer/require/verify-ca (about its own TLS semantics; Plugboard applies
 * libpq's, see config.ts) and reads the certificate files sslcert/sslkey/sslrootcert name.
 */
const TLS_PARAMS = ['sslmode', 'ssl', 'sslcert', 'sslkey', 'sslrootcert', 'sslnegotiation', 'uselibpqcompat'];

function splitTlsParams(input: string): { url: string; params: URLSearchParams } {
  const at = input.indexOf('?');
  if (at < 0) return { url: input, params: new URLSearchParams() };
  const hash = input.indexOf('#', at);
  const query = new URLSearchParams(input.slice(at + 1, hash < 0 ? undefined : hash));
  const tls = new URLSearchParams();
  for (const key of TLS_PARAMS) {
    for (const value of query.getAll(key)) tls.append(key, value);
    query.delete(key);
  }
  const rest = query.toString();
  return { url: `${input.slice(0, at)}${rest ? `?${rest}` : ''}`, params: tls };
}

const KNOWN_KEYS = new Set(['host', 'hostaddr', 'port', 'dbname', 'user', 'password', 'sslmode', 'connect_timeout', 'application_name', 'options', 'passfile', 'target_session_attrs']);

function fromKeyValue(kv: Record<string, string | undefined>): ParsedConnection {
  const out: ParsedConnection = {};
  const host = kv.host || kv.hostaddr;
  if (host) out.host = host;
  if (kv.port) {
    const port = Number(kv.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(`Invalid port "${kv.port}": use 1-65535.`);
    out.port = port;
  }
  if (kv.dbname) out.database = kv.dbname;
  if (kv.user) out.user = kv.user;
  if (kv.password) out.password = kv.password;
  if (kv.sslmode) {
    if (!(SSL_MODES as readonly string[]).includes(kv.sslmode)) {
      throw invalid(`Invalid sslmode "${kv.sslmode}": use one of ${SSL_MODES.join(', ')}.`);
    }
    out.sslmode = kv.sslmode as SslMode;
  }
  if (kv.connect_timeout) {
    const seconds = Number(kv.connect_timeout);
    if (!Number.isFinite(seconds) || seconds < 0) throw invalid(`Invalid connect_timeout "${kv.connect_timeout}".`);
    if (seconds > 0) out.connectTimeoutMs = Math.max(1000, Math.round(seconds * 1000));
  }
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
    if (!KNOWN_KEYS.has(key)) throw invalid(`Unknown connection option "${key}".`);
    out[key] = value;
  }
  return out;
}

/** The profile's connection string with the password left out, for "Copy Connection String". */
export function formatPostgresUrl(p: Pick<PgOptions, 'host' | 'port' | 'database' | 'user' | 'sslmode'>): string {
  const user = p.user ? `${encodeURIComponent(p.user)}@` : '';
  const host = p.host ?? 'localhost';
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const port = p.port ? `:${p.port}` : '';
  const db = p.database ? `/${encodeURIComponent(p.database)}` : '';
  const query = p.sslmode ? `?sslmode=${p.sslmode}` : '';
  return `postgresql://${user}${hostPart}${port}${db}${query}`;
}

function invalid(message: string): PlugboardError {
  return new PlugboardError('INVALID_CONFIG', message, { hint: 'Example: postgresql://user@host:5432/dbname?sslmode=require' });
}
