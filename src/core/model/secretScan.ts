/**
 * Recognising a credential in a shared file, by its name and by its value. A field name says what a value is
 * meant to be (`client_secret`, `stripe_api_key`); a value can give itself away on its own: the prefixes
 * services put on their tokens, the three base64url parts of a JWT, a long run of random-looking characters,
 * or a URL parameter named like a token. Nothing here ever returns or prints the value it looked at.
 */

/** Prefixes and shapes of tokens from widely used services (each distinctive enough not to occur by chance). */
const TOKEN_SHAPES: readonly RegExp[] = [
  /(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{8,}/, // Stripe secret and restricted keys
  /whsec_[0-9A-Za-z+/=]{16,}/, // Stripe webhook signing secrets
  /gh[pousr]_[0-9A-Za-z]{16,}/, // GitHub tokens
  /github_pat_[0-9A-Za-z_]{20,}/,
  /glpat-[0-9A-Za-z_-]{16,}/, // GitLab
  /xox[abposr]-[0-9A-Za-z-]{10,}/, // Slack
  /xapp-\d-[0-9A-Za-z-]{10,}/,
  /(?<![0-9A-Z])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}(?![0-9A-Z])/, // AWS access key ids
  /AIza[0-9A-Za-z_-]{30,}/, // Google API keys
  /(?<![0-9A-Za-z])sk-(?:ant-|proj-)?[0-9A-Za-z_-]{20,}/, // OpenAI, Anthropic
  /SG\.[0-9A-Za-z_-]{16,}\.[0-9A-Za-z_-]{16,}/, // SendGrid
  /npm_[0-9A-Za-z]{30,}/,
  /shp(?:at|ss|ca|pa)_[0-9a-fA-F]{32}/, // Shopify
  /eyJ[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]*/, // a JWT: base64url of `{"…` twice, then the signature
  /eyJ[0-9A-Za-z_-]{16,}/, // the start of one (a JWT cut to fit a short field)
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b(?:Bearer|Basic)\s+[0-9A-Za-z._~+/=-]{16,}/, // a whole Authorization value
];

/** Query or fragment parameters that carry credentials (`api_key`, `private_token`, `X-Api-Key`, `sig`). */
const SECRET_PARAM = /^(?:.*[_-])?(?:api[_-]?key|apikey|key|token|secret|password|passwd|pwd|sig|signature|credentials?)$/i;

/** Words a name ends with when it names the secret itself, not its URL, header or name. */
const SECRET_WORDS = new Set(['token', 'secret', 'password', 'passwd', 'pwd', 'passphrase', 'credential', 'credentials', 'apikey', 'authorization']);
/** `…_key` is a secret after these words (`api_key`, `private_key`), not after others (`sort_key`). */
const KEY_QUALIFIERS = new Set(['api', 'private', 'secret', 'access', 'signing', 'encryption', 'client', 'master']);

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * A field or variable name that denotes a credential: `password`, `client_secret`, `stripe_api_key`,
 * `githubToken`, `x-api-key`. Names that only mention one (`tokenUrl`, `apiKeyHeader`, `keyName`) do not.
 */
export function looksLikeSecretName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (SECRET_WORDS.has(last)) return true;
  return last === 'key' && KEY_QUALIFIERS.has(words[words.length - 2] ?? '');
}

export function looksLikeSecretParam(name: string): boolean {
  return SECRET_PARAM.test(name);
}

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * A long run that looks random: close to the most entropy a string of its length can have, with letters and
 * digits mixed — upper and lower case too when it is shorter than 32 (a slug like `v30-request-examples` is
 * not a token). Identifiers (`listCustomerSubscriptionItems2024`), UUIDs and hex digests repeat characters too
 * much to pass.
 */
function isRandomLooking(run: string): boolean {
  if (run.length < 20 || !/[0-9]/.test(run) || !/[A-Za-z]/.test(run)) return false;
  if (run.length < 32 && !(/[a-z]/.test(run) && /[A-Z]/.test(run))) return false;
  return entropy(run) >= 0.85 * Math.log2(Math.min(run.length, 64));
}

function hasRandomRun(text: string): boolean {
  for (const [run] of text.matchAll(/[A-Za-z0-9+/=_-]{20,}/g)) {
    // With slashes it may be a path (`org/licenses/LICENSE-2`): whole only when as long as a secret key.
    if (run.includes('/') ? run.length >= 32 && isRandomLooking(run) : isRandomLooking(run)) return true;
    if (run.includes('/') && run.split('/').some(isRandomLooking)) return true;
  }
  return false;
}

/** A placeholder for a value a reader fills in (`<key>`, `{{key}}`, `YOUR_KEY`, `…`), not a value. */
const PLACEHOLDER_VALUE = /^(?:\{\{|<|\$\{|%|your|xxx|\.\.\.|…|\*)/i;

/**
 * A parameter named like a token in a query or fragment. In a URL any value counts, even a placeholder: a
 * credential never belongs in a shareable URL. In prose only a filled-in value does (`?api_key=<key>` is
 * documentation).
 */
export function secretParamIn(text: string, isUrl: boolean): string | undefined {
  for (const m of text.matchAll(/[?#&;]([A-Za-z0-9_.~-]+)=([^&#\s]*)/g)) {
    const [, name, value] = m as unknown as [string, string, string];
    if (!looksLikeSecretParam(name)) continue;
    if (isUrl || (value.length >= 6 && !PLACEHOLDER_VALUE.test(value))) return name;
  }
  return undefined;
}

/** Whether a string holds something that looks like a credential by its value alone. */
export function looksLikeSecretValue(text: string): boolean {
  if (text.length < 8) return false;
  return TOKEN_SHAPES.some((shape) => shape.test(text)) || hasRandomRun(text);
}
