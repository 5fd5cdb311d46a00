/**
 * Redaction before anything reaches a log, an error message or the CLI's output. Secret values loaded from
 * SecretStorage or the environment are registered here; common shapes that carry a password (URLs with
 * userinfo, libpq `password=`, Authorization headers) are masked even when they were never registered.
 */
export const MASK = '•••';

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remember a secret value so every later redact() hides it. Very short values are ignored (noise). */
  register(value: string | undefined | null): void {
    if (value && value.length >= 4) this.secrets.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
    }
    return redactPatterns(out);
  }
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
