import { looksLikeSecretName, looksLikeSecretParam, looksLikeSecretValue, secretParamIn } from './secretScan';
import { isWellFormedText } from '../text';

/**
 * Checks on provider definitions that a zod shape alone cannot express: no secret values anywhere, every
 * `{{variable}}` declared, URLs that are URLs once variables are filled. Each finding names the field path,
 * and no finding ever echoes a value (a value might be the secret we are refusing to store).
 */
export interface RuleIssue {
  path: (string | number)[];
  message: string;
}

export const VARIABLE_PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Subtrees that are JSON Schemas: their property names describe payloads, not this definition. */
const SCHEMA_KEYS = new Set(['requestSchema', 'responseSchema', 'schema']);
/** Fields that hold a URL (or, for test.endpoint, a path): a token-named parameter in them is refused outright. */
export const URL_FIELDS = new Set(['baseUrl', 'docsUrl', 'issuer', 'authUrl', 'tokenUrl', 'revocationUrl', 'endpoint', 'openapi']);

export { looksLikeSecretName };

const NOT_HERE = 'provider definitions never hold secrets (Plugboard keeps them in SecretStorage or environment variables)';

/**
 * Walks the raw document (before zod) so a pasted secret is refused with its own message, not "unknown key".
 * By name outside JSON Schemas (a `client_secret` field with a value); by value everywhere, JSON Schemas
 * included (their defaults and examples are copied into plugboard.schema.json and generated code).
 */
export function findSecretValues(raw: unknown, onSecret?: (value: string) => void): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const flag = (path: (string | number)[], message: string, value?: string) => {
    if (value !== undefined) onSecret?.(value);
    issues.push({ path, message });
  };
  const walk = (node: unknown, path: (string | number)[], inSchema: boolean) => {
    if (typeof node === 'string') {
      const key = path[path.length - 1];
      const param = secretParamIn(node, !inSchema && typeof key === 'string' && URL_FIELDS.has(key));
      if (looksLikeSecretValue(node)) flag(path, `holds what looks like a credential (by its shape); ${NOT_HERE}`, node);
      else if (param) flag(path, `carries a credential parameter ("${param}"); use auth.apiKey with location "query", and keep the key itself out of the file`, node);
      return;
    }
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...path, i], inSchema));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (looksLikeSecretValue(key)) {
        flag([...path, '(a key)'], `is named with what looks like a credential; ${NOT_HERE}`, key);
        continue;
      }
      if (!inSchema && !SCHEMA_KEYS.has(key) && looksLikeSecretName(key) && isFilled(value)) {
        flag([...path, key], `looks like a secret value; ${NOT_HERE}`, typeof value === 'string' ? value : undefined);
        continue;
      }
      walk(value, [...path, key], inSchema || SCHEMA_KEYS.has(key));
    }
  };
  walk(raw, [], false);
  return issues;
}

/** Only scalar values count: `auth.apiKey` is a settings object, `"apiKey": "sk_…"` is a credential. */
function isFilled(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  return typeof value === 'number';
}

/**
 * Line breaks, control characters and bidi overrides. Identifier-like fields (names, header and parameter
 * names, URLs, ids) refuse them all; prose (descriptions, summaries) may have tabs and line breaks.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_IN_PROSE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const PROSE = new Set(['description', 'summary']);

export function controlCharacterIssues(def: unknown): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (typeof node === 'string') {
      const key = path[path.length - 1];
      if (!isWellFormedText(node)) issues.push({ path, message: 'must be well-formed Unicode text (it holds a lone surrogate)' });
      else if ((typeof key === 'string' && PROSE.has(key) ? CONTROL_IN_PROSE : CONTROL).test(node)) {
        issues.push({ path, message: typeof key === 'string' && PROSE.has(key) ? 'must not hold control characters' : 'must not hold line breaks or control characters' });
      }
      return;
    }
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...path, i]));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (CONTROL.test(key)) issues.push({ path: [...path, '(a key)'], message: 'must not hold line breaks or control characters' });
      else if (!SCHEMA_KEYS.has(key)) walk(value, [...path, key]);
    }
  };
  walk(def, []);
  return issues;
}

/** Names of the `{{variables}}` a string uses, in order of first use. */
export function variablesIn(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE_PATTERN)].map((m) => m[1]!))];
}

/** `{{` or `}}` left over once well-formed placeholders are removed means a typo such as `{{ base Url }}`. */
export function hasBrokenPlaceholder(text: string): boolean {
  const rest = text.replace(VARIABLE_PATTERN, '');
  return rest.includes('{{') || rest.includes('}}');
}

/** Fills placeholders; unknown names are left as written (the caller decides whether that is an error). */
export function fillVariables(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE_PATTERN, (whole, name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? values[name]! : whole));
}

/** Every string in the definition outside JSON Schemas, with its path: where placeholders may appear. */
export function templatedStrings(def: unknown): { path: (string | number)[]; value: string }[] {
  const out: { path: (string | number)[]; value: string }[] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (typeof node === 'string') return void out.push({ path, value: node });
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...path, i]));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (SCHEMA_KEYS.has(key) || key === 'variables' || key === 'endpoints') continue;
      walk(value, [...path, key]);
    }
  };
  walk(def, []);
  return out;
}

/**
 * An http(s) URL once placeholders are filled with a dummy; no user:password@ and no credential in the query.
 * `relative` allows a path such as `/health` (resolved against baseUrl later).
 */
export function checkUrl(text: string, opts: { relative?: boolean } = {}): string | undefined {
  // A value that is one placeholder (`{{testPath}}`) is checked once the profile fills it in.
  if (/^\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/.test(text)) return undefined;
  const sample = text.replace(VARIABLE_PATTERN, 'x');
  // `//host/x` and `/\\host/x` are not paths: URL parsers read them as another host.
  if (opts.relative && /^[/\\]{2}/.test(sample)) return 'must be a path on the base URL\'s host ("/…"), not "//host"';
  if (opts.relative && sample.startsWith('/')) return checkQuery(new URL(sample, 'http://x.invalid').searchParams, text);
  const url = sampleUrl(text);
  if (!url) return opts.relative ? 'must be a path starting with "/" or an http(s) URL' : 'must be an http(s) URL';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username || url.password) return 'must not carry a user name or password; use the secret store';
  return checkQuery(url.searchParams, text);
}

/**
 * The URL a template stands for, with every placeholder filled by the same dummy: two templates with the same
 * origin text get the same origin. A placeholder may stand for a host, a port (`http://{{host}}:{{port}}`) or
 * a whole origin (`{{server}}/v2`).
 */
export function sampleUrl(text: string): URL | undefined {
  const leading = /^\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/.test(text) ? text.replace(/^\{\{[^}]*\}\}/, 'http://x').replace(VARIABLE_PATTERN, 'x') : undefined;
  return parseUrl(text.replace(VARIABLE_PATTERN, 'x')) ?? parseUrl(text.replace(VARIABLE_PATTERN, '1')) ?? (leading ? parseUrl(leading) : undefined);
}

/** An absolute URL rather than a path on the base URL: a scheme, or a placeholder that stands for an origin. */
export function isAbsoluteUrlText(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(text) || /^\{\{[^}]*\}\}./.test(text);
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function checkQuery(params: URLSearchParams, original: string): string | undefined {
  for (const [name] of params) {
    if (!looksLikeSecretParam(name)) continue;
    // A placeholder is still a value written into a shareable file; credentials come from the secret store.
    if (new RegExp(`[?&]${escapeRegExp(name)}=`).test(original)) return `must not carry a credential in the query ("${name}"); use auth.apiKey with location "query"`;
  }
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `auth.oauth2.tokenUrl`, `endpoints[2].method`: the way users see field paths in messages. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (!path.length) return '(root)';
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}
