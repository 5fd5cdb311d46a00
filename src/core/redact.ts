/**
 * Redaction before anything reaches a log, an error message or the CLI's output. Secret values loaded from
 * SecretStorage or the environment are registered here; common shapes that carry a password (URLs with
 * userinfo, libpq `password=`, Authorization headers) are masked even when they were never registered.
 */
export const MASK = '•••';

export class Redactor {
  private readonly secrets = new Set<string>();
  /** Secrets of 1-3 characters: masked only where they stand alone, since inside words they would mask noise. */
  private readonly short = new Set<string>();

  /** Remember a secret value so every later redact() hides it. */
  register(value: string | undefined | null): void {
    if (!value) return;
    if (value.length >= 4) this.secrets.add(value);
    else this.short.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
      const encoded = uriEncoded(secret);
      if (encoded !== undefined && encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
    }
    for (const secret of this.short) out = maskToken(out, secret);
    return redactPatterns(out);
  }
}

/** Replaces `value` where no letter or digit touches it on either side (raw and URL-encoded). */
function maskToken(text: string, value: string): string {
  let out = text;
  for (const form of new Set([value, uriEncoded(value) ?? value])) {
    out = out.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(form)}(?![A-Za-z0-9])`, 'g'), MASK);
  }
  return out;
}

/** The percent-encoded form, or undefined for text that has none (a lone surrogate makes encodeURIComponent throw). */
function uriEncoded(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks values known to be secret at this spot whatever their length, e.g. the credentials a request was sent
 * with, in the body of the response to it (a server may echo a rejected key). Longest first, so a value that
 * contains another is masked whole.
 */
export function maskValues(text: string, values: readonly (string | undefined)[]): string {
  let out = text;
  for (const value of [...new Set(values)].filter((v): v is string => !!v).sort((a, b) => b.length - a.length)) {
    out = out.split(value).join(MASK);
    const encoded = uriEncoded(value);
    if (encoded !== undefined && encoded !== value) out = out.split(encoded).join(MASK);
  }
  return out;
}

/** Masks secrets by shape: URL userinfo passwords, key=value (or JSON "key": value) passwords, bearer/basic credentials. */
export function redactPatterns(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi, `$1${MASK}$3`)
    .replace(/(\b(?:password|passwd|pwd|secret|token|api[_-]?key|client_secret|access_token|refresh_token)["']?\s*[=:]\s*)('[^']*'|"[^"]*"|[^\s&,;]+)/gi, `$1${MASK}`)
    .replace(/(\b(?:authorization)\s*[=:]\s*(?:bearer|basic)?\s*)([A-Za-z0-9._~+/=-]{4,})/gi, `$1${MASK}`)
    .replace(/(\bbearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi, `$1${MASK}`);
}

/** A process-wide redactor shared by the log and error formatting; adapters register secrets on connect. */
export const redactor = new Redactor();
