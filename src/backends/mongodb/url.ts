import type * as MongoUrl from 'mongodb-connection-string-url';
import { lazyModule } from '../../core/lazy';
import type { ConnectionText } from '../../core/backend';
import { PlugboardError } from '../../core/errors';
import { MASK, redactPatterns } from '../../core/redact';
import { hostsProblem, MongoOptions } from './options';

// The parser (with its WHATWG URL stack) loads when a connection string is first read, not at activation.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mongoUrl = lazyModule(() => require('mongodb-connection-string-url') as typeof MongoUrl);

const SCHEMES = ['mongodb', 'mongodb+srv'];
const EXAMPLE = 'Example: mongodb://user@db.example.com:27017/shop?authSource=admin (or mongodb+srv://cluster0.example.net/shop)';

type Params = Record<string, string>;
type Known = 'authSource' | 'authMechanism' | 'replicaSet' | 'directConnection' | 'tls' | 'tlsCAFile' | 'tlsCertificateKeyFile' | 'tlsAllowInvalidCertificates' | 'tlsAllowInvalidHostnames' | 'serverSelectionTimeoutMS' | 'connectTimeoutMS' | 'socketTimeoutMS';

/** Connection-string options that become profile fields, by their lower-case spelling. */
const KNOWN: Record<string, { key: Known; as: 'string' | 'boolean' | 'ms' }> = {
  authsource: { key: 'authSource', as: 'string' },
  authmechanism: { key: 'authMechanism', as: 'string' },
  replicaset: { key: 'replicaSet', as: 'string' },
  directconnection: { key: 'directConnection', as: 'boolean' },
  tls: { key: 'tls', as: 'boolean' },
  ssl: { key: 'tls', as: 'boolean' },
  tlscafile: { key: 'tlsCAFile', as: 'string' },
  tlscertificatekeyfile: { key: 'tlsCertificateKeyFile', as: 'string' },
  tlsallowinvalidcertificates: { key: 'tlsAllowInvalidCertificates', as: 'boolean' },
  tlsallowinvalidhostnames: { key: 'tlsAllowInvalidHostnames', as: 'boolean' },
  serverselectiontimeoutms: { key: 'serverSelectionTimeoutMS', as: 'ms' },
  connecttimeoutms: { key: 'connectTimeoutMS', as: 'ms' },
  sockettimeoutms: { key: 'socketTimeoutMS', as: 'ms' },
};

/** Options that carry a secret: a profile would have to store it in a committed file, so they are refused. */
const SECRET_PARAMS = new Set(['tlscertificatekeyfilepassword', 'authmechanismproperties', 'proxypassword']);

/** A `mongodb://` or `mongodb+srv://` connection string as profile options and the password it carried. */
export function parseMongoConnection(text: string): ConnectionText<MongoOptions> {
  const input = text.trim();
  if (!input) throw invalid('The connection string is empty.');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(input)?.[1]?.toLowerCase();
  if (!scheme || !SCHEMES.includes(scheme)) throw invalid(`The connection string must start with mongodb:// or mongodb+srv://${scheme ? `, not ${scheme}://` : ''}.`);
  let cs: MongoUrl.ConnectionString;
  try {
    cs = new mongoUrl.ConnectionString(input);
  } catch (err) {
    const said = err instanceof Error ? err.message : String(err);
    // decodeURIComponent's own words say nothing about where.
    const why = said === 'URI malformed' ? 'the user name or password has a malformed % escape (percent-encode special characters)' : withoutUserinfo(input, said);
    throw invalid(`The MongoDB connection string is malformed: ${why}`);
  }
  const options: MongoOptions = { hosts: cs.hosts.join(',') };
  if (cs.isSRV) options.srv = true;
  const problem = hostsProblem(options.hosts!, cs.isSRV);
  if (problem) throw invalid(problem);
  const user = decoded(cs.username, 'user name');
  const password = decoded(cs.password, 'password');
  if (user) options.user = user;
  const database = decoded(cs.pathname.replace(/^\//, ''), 'database name');
  if (database) options.database = database;
  const params: Params = {};
  for (const [name, value] of cs.searchParams) readParam(options, params, name, value);
  if (Object.keys(params).length) options.params = params;
  const checked = MongoOptions.safeParse(options);
  if (!checked.success) throw invalid(`The connection string has an invalid ${checked.error.issues[0]?.path.join('.') || 'value'}: ${checked.error.issues[0]?.message ?? ''}`);
  return { options: checked.data, secret: password ? { password } : {} };
}

function readParam(options: MongoOptions, params: Params, name: string, value: string): void {
  const lower = name.toLowerCase();
  if (SECRET_PARAMS.has(lower)) {
    throw invalid(`The connection string option "${name}" holds a secret, which a profile cannot keep.`, 'Leave it out; Plugboard keeps only the password, in your OS keychain.');
  }
  if (lower === 'tlsinsecure') {
    const on = bool(name, value);
    options.tlsAllowInvalidCertificates = on;
    options.tlsAllowInvalidHostnames = on;
    return;
  }
  const known = KNOWN[lower];
  if (!known) {
    params[name] = value;
    return;
  }
  const o = options as Record<string, unknown>;
  if (known.as === 'boolean') o[known.key] = bool(name, value);
  else if (known.as === 'ms') {
    if (!/^\d+$/.test(value)) throw invalid(`The connection string option "${name}" must be a whole number of milliseconds.`);
    o[known.key] = Number(value);
  } else o[known.key] = value;
}

function bool(name: string, value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(`The connection string option "${name}" must be true or false.`);
}

function decoded(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(`The ${what} in the connection string has a malformed % escape; percent-encode special characters.`);
  }
}

/**
 * A parser's message with anything from the URL's userinfo masked: mongodb-connection-string-url quotes the
 * user name in some messages, and a password typed with an unescaped `@` or `:` may be cut anywhere.
 */
function withoutUserinfo(input: string, message: string): string {
  const rest = input.slice(input.indexOf('://') + 3);
  // The last `@` anywhere: a password with an unescaped `/` or `@` still ends up inside the masked part.
  const at = rest.lastIndexOf('@');
  let out = message;
  if (at > 0) {
    const userinfo = rest.slice(0, at);
    const pieces = [userinfo, ...userinfo.split(/[:@]/)].filter((p) => p.length >= 3).sort((a, b) => b.length - a.length);
    for (const piece of pieces) out = out.split(piece).join(MASK);
  }
  return redactPatterns(out);
}

/** The fields that make up a connection string, in the order they are written. */
const URL_PARAMS: readonly Known[] = ['authSource', 'authMechanism', 'replicaSet', 'directConnection', 'tls', 'tlsCAFile', 'tlsCertificateKeyFile', 'tlsAllowInvalidCertificates', 'tlsAllowInvalidHostnames', 'serverSelectionTimeoutMS', 'connectTimeoutMS', 'socketTimeoutMS'];

/** The profile as a connection string, never with a password. */
export function formatMongoUrl(o: MongoOptions): string {
  const user = o.user ? `${encodeURIComponent(o.user)}@` : '';
  const query = new URLSearchParams();
  for (const key of URL_PARAMS) if (o[key] !== undefined) query.set(key, String(o[key]));
  for (const [k, v] of Object.entries(o.params ?? {})) query.set(k, v);
  const q = query.toString();
  const db = o.database ? encodeURIComponent(o.database) : '';
  return `${o.srv ? 'mongodb+srv' : 'mongodb'}://${user}${o.hosts ?? 'localhost:27017'}/${db}${q ? `?${q}` : ''}`;
}

function invalid(message: string, hint = EXAMPLE): PlugboardError {
  return new PlugboardError('INVALID_CONFIG', message, { hint });
}
