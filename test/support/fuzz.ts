/**
 * Seeded generators for the fuzz test: malformed provider definitions and connection strings. Everything is
 * drawn from a small deterministic PRNG, so a failing case is reproduced by its seed alone.
 *
 * A definition is built by `build(t)` from a structure fixed by the seed and text from `t(slot)`: built once
 * with plain words and once with fuzzed text in every slot, the two must render to code of the same shape.
 */
import type { Text } from './hostileModel';
import { HOSTILE_SEQUENCES, plain } from './hostileModel';

export type Rng = () => number;

/** mulberry32: 32 bits of state, good enough to spread test cases, and the same on every machine. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const int = (r: Rng, max: number) => Math.floor(r() * (max + 1));

const PIECES = [
  ...HOSTILE_SEQUENCES,
  'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
  '{{x}}', '{{ baseUrl }}', '{{', 'https://evil.example/', '?api_key=1', '#access_token=2', '../', '@evil.example', ':8080',
  '__proto__', 'constructor', 'toString', 'class', 'await', '0', '-1', 'null', 'true', ' ', '  ', '\u00a0', 'é', '日本',
  '\ud83d\ude00', '\udc00', '\u200b', 'x'.repeat(300), '$', '$$', '%00', '%zz', '&', '<', '>', '=', ';', ',', '"', '\\n',
];

/** Random text: hostile sequences, tokens, URL bits and random code points (controls and astral ones too). */
export function garbage(r: Rng): string {
  let out = '';
  for (let n = 1 + int(r, 5); n > 0; n--) {
    const roll = r();
    if (roll < 0.55) out += pick(r, PIECES);
    else if (roll < 0.75) out += String.fromCharCode(int(r, 0x7f));
    else if (roll < 0.9) out += String.fromCharCode(int(r, 0xffff));
    else out += String.fromCodePoint(0x10000 + int(r, 0xfffff));
  }
  return out;
}

/** Slots validation leaves free (JSON Schema text and names): where hostile text gets through. */
const FREE_SLOT = /\.|^def\d\w*$/;

/**
 * Fuzzed text per slot (the same slot gives the same text within one build). Free slots get garbage most of
 * the time; the others (ids, names, header names, URLs) now and then, so most definitions still validate and
 * the hostile text in them reaches the templates.
 */
export function fuzzText(r: Rng): Text {
  const memo = new Map<string, string>();
  const strictRate = pick(r, [0, 0.02, 0.1, 0.5]);
  return (slot) => {
    let text = memo.get(slot);
    if (text === undefined) memo.set(slot, (text = r() < (FREE_SLOT.test(slot) ? 0.7 : strictRate) ? `${slot}${garbage(r)}` : plain(slot)));
    return text;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A random JSON Schema (structure from `r`, every name and text from `t`). */
function schema(r: Rng, t: Text, at: string, depth: number, defs: string[]): Record<string, Json> {
  const s: Record<string, Json> = {};
  if (r() < 0.3) s.description = t(`${at}.description`);
  if (r() < 0.2) s.title = t(`${at}.title`);
  const kind = depth > 3 ? pick(r, ['string', 'integer', 'boolean', 'enum', 'ref']) : pick(r, ['string', 'integer', 'boolean', 'object', 'array', 'enum', 'const', 'ref', 'oneOf', 'allOf', 'nullable', 'tuple', 'empty']);
  switch (kind) {
    case 'object': {
      s.type = 'object';
      const props: Record<string, Json> = {};
      const names: string[] = [];
      for (let i = int(r, 3); i > 0; i--) {
        const name = t(`${at}.p${i}`);
        names.push(name);
        props[name] = schema(r, t, `${at}.p${i}`, depth + 1, defs);
      }
      s.properties = props;
      if (r() < 0.5) s.required = names.filter(() => r() < 0.5);
      if (r() < 0.3) s.additionalProperties = r() < 0.5 ? r() < 0.5 : schema(r, t, `${at}.extra`, depth + 1, defs);
      break;
    }
    case 'array':
      s.type = 'array';
      s.items = schema(r, t, `${at}.items`, depth + 1, defs);
      break;
    case 'tuple':
      s.type = 'array';
      s.items = [schema(r, t, `${at}.t0`, depth + 1, defs), schema(r, t, `${at}.t1`, depth + 1, defs)] as Json;
      break;
    case 'enum':
      s.enum = [t(`${at}.e1`), t(`${at}.e2`), ...(r() < 0.3 ? [1, null, true] : [])];
      break;
    case 'const':
      s.const = t(`${at}.const`);
      break;
    case 'ref':
      s.$ref = defs.length && r() < 0.8 ? `#/$defs/${pick(r, defs)}` : `#/$defs/${t(`${at}.missing`)}`;
      break;
    case 'oneOf':
      s.oneOf = [schema(r, t, `${at}.o1`, depth + 1, defs), schema(r, t, `${at}.o2`, depth + 1, defs)];
      break;
    case 'allOf':
      s.allOf = [schema(r, t, `${at}.a1`, depth + 1, defs), { type: 'object', properties: { [t(`${at}.a2`)]: { type: 'string' } } }];
      break;
    case 'nullable':
      Object.assign(s, { type: ['string', 'null'], format: t(`${at}.format`) });
      break;
    case 'empty':
      break;
    default:
      s.type = kind;
      if (r() < 0.3) s.format = t(`${at}.format`);
  }
  return s;
}

const AUTH = ['none', 'api_key', 'bearer', 'basic', 'oauth2', 'webhook'] as const;

/** The builder of one definition: `build(t)` always makes the same structure for the same seed. */
export function definitionCase(seed: number): (t: Text) => Record<string, unknown> {
  return (t) => {
    const r = rng(seed);
    const authType = pick(r, AUTH);
    const def: Record<string, unknown> = { id: t('id'), name: t('name'), category: 'fuzz', version: '1.0.0', authType, description: t('description') };
    const auth: Record<string, unknown> = {};
    if (authType === 'api_key') auth.apiKey = { location: pick(r, ['header', 'query']), keyName: t('keyName'), ...(r() < 0.5 ? { keyPrefix: t('keyPrefix') } : {}) };
    if (authType === 'bearer') auth.bearer = { headerName: t('bearerHeader'), prefix: t('bearerPrefix') };
    if (authType === 'basic') auth.basic = {};
    if (authType === 'oauth2') auth.oauth2 = { tokenUrl: `https://${t('tokenHost')}/token`, grantTypes: ['client_credentials'], clientId: t('clientId'), scopes: [t('scope')], ...(r() < 0.5 ? { audience: t('audience') } : {}) };
    if (authType === 'webhook' || r() < 0.2) auth.webhook = { signatureHeader: t('signatureHeader'), prefix: t('signaturePrefix'), ...(r() < 0.5 ? { timestampHeader: t('timestampHeader') } : {}), eventHeader: t('eventHeader') };
    def.auth = auth;
    if (authType !== 'webhook' || r() < 0.5) {
      def.baseUrl = `https://${t('host')}/${t('basePath')}`;
      def.test = { endpoint: `/${t('testPath')}` };
    }
    if (r() < 0.5) def.variables = [{ name: t('variable'), label: t('label'), default: t('default'), required: false }];
    if (r() < 0.3) def.rateLimits = { requestsPerMinute: 1 + int(r, 1000) };
    const defs = [t('def1'), t('def2')];
    const endpoints = [];
    for (let i = int(r, 3); i > 0; i--) {
      const param = t(`param${i}`);
      const requestSchema = r() < 0.5 ? { ...schema(r, t, `req${i}`, 0, defs), $defs: { [defs[0]!]: schema(r, t, `def${i}a`, 2, []), [defs[1]!]: schema(r, t, `def${i}b`, 2, []) } } : undefined;
      endpoints.push({
        method: pick(r, ['GET', 'POST', 'PUT', 'DELETE']),
        path: `/${t(`path${i}`)}/{${param}}`,
        operationId: t(`op${i}`),
        summary: t(`summary${i}`),
        tag: t(`tag${i % 2}`),
        parameters: [
          { name: param, in: 'path', required: true, schema: schema(r, t, `pp${i}`, 2, defs) },
          ...(r() < 0.5 ? [{ name: t(`query${i}`), in: 'query', schema: schema(r, t, `qp${i}`, 2, defs) }] : []),
        ],
        ...(requestSchema ? { requestSchema } : {}),
        ...(r() < 0.7 ? { responseSchema: schema(r, t, `res${i}`, 0, defs) } : {}),
      });
    }
    if (endpoints.length) def.endpoints = endpoints;
    mutate(r, def);
    return def;
  };
}

const JUNK: Json[] = [null, 0, -1, 1e308, true, '', ' ', [], {}, [[[[]]]], { a: { b: { c: {} } } }, 'x'.repeat(5000)];

/** Now and then a structural fault: a field removed, replaced by junk, or an unknown one added. */
function mutate(r: Rng, def: Record<string, unknown>): void {
  for (let n = r() < 0.35 ? 1 + int(r, 2) : 0; n > 0; n--) {
    const inner = pick(r, [def.auth, def.test, Array.isArray(def.endpoints) ? def.endpoints[0] : undefined, Array.isArray(def.variables) ? def.variables[0] : undefined]);
    const target = r() < 0.5 || !inner || typeof inner !== 'object' || Array.isArray(inner) ? def : (inner as Record<string, unknown>);
    const keys = Object.keys(target);
    const roll = r();
    if (roll < 0.3 && keys.length) delete target[pick(r, keys)];
    else if (roll < 0.8 && keys.length) target[pick(r, keys)] = pick(r, JUNK);
    else target[pick(r, ['extra', 'apiKey', 'secret', '__proto__', 'token'])] = pick(r, JUNK);
  }
}

const SCHEMES = ['postgres://', 'postgresql://', 'POSTGRES://', 'mysql://', 'postgres:/', 'postgres:', ''];
const HOSTS = ['127.0.0.1', 'localhost', '[::1]', 'db.example.com', '', 'h%00st', 'a b', '[::1', 'xn--bcher-kva.example', '%zz'];
const PORTS = ['', ':5432', ':0', ':65536', ':0x1538', ':1e0', ':-1', ':', ':99999999999', ': 1'];
const KEYS = ['sslmode', 'ssl', 'sslrootcert', 'sslcert', 'sslkey', 'connect_timeout', 'application_name', 'options', 'host', 'port', 'user', 'dbname', 'password', 'target_session_attrs', 'passfile', 'sslpassword', 'uselibpqcompat', 'frobnicate', ''];
const VALUES = ['require', 'verify-full', 'disable', 'true', 'false', '', 'system', '/tmp/ca.pem', '0x10', '1e1', '10', '-1', '%00', 'a\u0000b', "it's", 'x y', '\\', "'", '5432'];

const GOOD_KEYS = ['sslmode', 'connect_timeout', 'application_name', 'options', 'host', 'port', 'user', 'dbname', 'sslrootcert'];
const GOOD_VALUES: Record<string, string[]> = {
  sslmode: ['require', 'verify-full', 'disable', 'prefer'], connect_timeout: ['0', '5', '30'], application_name: ['ci', 'a b', "it's"],
  options: ['-c search_path=app', '-c geqo=off'], host: ['127.0.0.1', '/var/run/postgresql', 'DB.example', 'x y'], port: ['5432', '6543'],
  user: ['app', 'a@b', 'über'], dbname: ['postgres', 'a/b', 'my db', '100%'], sslrootcert: ['/tmp/ca.pem', 'system'],
};

/** A connection string that should parse: known parameters with sensible (if unusual) values. */
function wellFormedConnection(r: Rng, password: string): string {
  const pick2 = (key: string) => pick(r, GOOD_VALUES[key]!);
  if (r() < 0.5) {
    const pairs = [...new Set(Array.from({ length: 1 + int(r, 4) }, () => pick(r, GOOD_KEYS)))].map((k) => `${k}='${pick2(k).replace(/(['\\])/g, '\\$1')}'`);
    if (r() < 0.3) pairs.push(`password='${password.replace(/(['\\])/g, '\\$1')}'`);
    return pairs.join(' ');
  }
  const keys = [...new Set(Array.from({ length: int(r, 3) }, () => pick(r, GOOD_KEYS.filter((k) => k !== 'host' && k !== 'sslrootcert'))))];
  const query = keys.map((k) => `${k}=${encodeURIComponent(pick2(k))}`).join('&');
  const user = r() < 0.5 ? `${encodeURIComponent(pick2('user'))}${r() < 0.3 ? `:${encodeURIComponent(password)}` : ''}@` : '';
  return `postgresql://${user}${pick(r, ['127.0.0.1', 'db.example.com', '[::1]', ''])}${pick(r, ['', ':5432'])}/${encodeURIComponent(pick2('dbname'))}${query ? `?${query}` : ''}`;
}

/** A connection string, usually malformed: URL or key=value, with the canary password sometimes inside. */
export function connectionCase(seed: number, password: string): string {
  const r = rng(seed);
  if (r() < 0.3) return wellFormedConnection(r, password);
  if (r() < 0.35) {
    const pairs: string[] = [];
    for (let n = int(r, 5); n >= 0; n--) {
      const key = pick(r, KEYS);
      const raw = key === 'password' ? password : pick(r, VALUES);
      const value = r() < 0.5 ? `'${raw.replace(/(['\\])/g, '\\$1')}${r() < 0.1 ? '' : "'"}` : raw;
      pairs.push(`${key}${r() < 0.1 ? ' ' : ''}=${value}`);
    }
    return pairs.join(r() < 0.9 ? ' ' : '\t');
  }
  const user = r() < 0.6 ? `${pick(r, ['app', 'us%00er', 'a%40b', '', 'x y'])}${r() < 0.4 ? `:${encodeURIComponent(password)}` : ''}@` : '';
  const db = r() < 0.8 ? `/${pick(r, ['postgres', 'my%20db', 'd%00b', '', '%', 'a/b'])}` : '';
  const params: string[] = [];
  for (let n = r() < 0.7 ? int(r, 4) : 0; n > 0; n--) params.push(`${pick(r, KEYS)}=${encodeURIComponent(pick(r, VALUES))}`);
  const query = params.length ? `?${params.join('&')}` : '';
  const tail = r() < 0.1 ? pick(r, ['#frag', '\n', '\r\n', ' ', '%', '\u0000']) : '';
  return `${pick(r, SCHEMES)}${user}${pick(r, HOSTS)}${pick(r, PORTS)}${db}${query}${tail}`;
}
