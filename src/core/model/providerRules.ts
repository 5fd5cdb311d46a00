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

/** Property names that, with a value, mean someone pasted a credential into a shareable file. */
const SECRET_KEY = /^(api[_-]?key|apikey|x[_-]?api[_-]?key|(access|refresh|id|bearer|auth)?[_-]?token|client[_-]?secret|(webhook|signing)?[_-]?secret|password|passwd|private[_-]?key|authorization|credentials?)$/i;
/** Query parameter names that carry credentials; a literal value for one in a URL is refused. */
const SECRET_PARAM = /^(api[_-]?key|apikey|key|access[_-]?token|token|client[_-]?secret|secret|password|sig|signature)$/i;

/** Subtrees that are JSON Schemas: their property names describe payloads, not this definition. */
const SCHEMA_KEYS = new Set(['requestSchema', 'responseSchema', 'schema']);

export function looksLikeSecretName(name: string): boolean {
  return SECRET_KEY.test(name.replace(/\s+/g, ''));
}

/** Walks the raw document (before zod) so a pasted secret is refused with its own message, not "unknown key". */
export function findSecretValues(raw: unknown, onSecret?: (value: string) => void): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...path, i]));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (SCHEMA_KEYS.has(key)) continue;
      if (looksLikeSecretName(key) && isFilled(value)) {
        if (typeof value === 'string') onSecret?.(value);
        issues.push({
          path: [...path, key],
          message: 'looks like a secret value; provider definitions never hold secrets (Plugboard keeps them in SecretStorage or environment variables)',
        });
        continue;
      }
      walk(value, [...path, key]);
    }
  };
  walk(raw, []);
  return issues;
}

/** Only scalar values count: `auth.apiKey` is a settings object, `"apiKey": "sk_…"` is a credential. */
function isFilled(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  return typeof value === 'number';
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
  if (opts.relative && sample.startsWith('/')) return checkQuery(new URL(sample, 'http://x.invalid').searchParams, text);
  // A placeholder may stand for a host, a port (`http://{{host}}:{{port}}`) or a whole origin (`{{server}}/v2`).
  const leading = /^\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/.test(text) ? text.replace(/^\{\{[^}]*\}\}/, 'http://x').replace(VARIABLE_PATTERN, 'x') : undefined;
  const url = parseUrl(sample) ?? parseUrl(text.replace(VARIABLE_PATTERN, '1')) ?? (leading ? parseUrl(leading) : undefined);
  if (!url) return opts.relative ? 'must be a path starting with "/" or an http(s) URL' : 'must be an http(s) URL';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username || url.password) return 'must not carry a user name or password; use the secret store';
  return checkQuery(url.searchParams, text);
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
    if (!SECRET_PARAM.test(name)) continue;
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
