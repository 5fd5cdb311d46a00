/**
 * The one error type a user sees. Every failure that crosses a layer boundary is turned into a
 * PlugboardError with a stable code, a one-line message and a hint saying what to do next.
 */
export const ERROR_CODES = [
  'CONNECTION_REFUSED',
  'CONNECTION_TIMEOUT',
  'CONNECTION_LOST',
  'HOST_NOT_FOUND',
  'AUTHENTICATION_FAILED',
  'PERMISSION_DENIED',
  'DATABASE_NOT_FOUND',
  'TLS_ERROR',
  'QUOTA_EXCEEDED',
  'SERVER_UNAVAILABLE',
  'SCHEMA_ERROR',
  'NOT_FOUND',
  'INVALID_CONFIG',
  'FILE_CONFLICT',
  'CANCELLED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes worth retrying with backoff: the same request may well succeed a moment later. */
export const TRANSIENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'CONNECTION_TIMEOUT',
  'CONNECTION_LOST',
  'QUOTA_EXCEEDED',
  'SERVER_UNAVAILABLE',
]);

export interface PlugboardErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Milliseconds the backend asked us to wait before retrying (e.g. Retry-After). */
  retryAfterMs?: number;
  /** Extra detail for the log (already redacted), never shown as the headline. */
  detail?: string;
}

export class PlugboardError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly retryAfterMs?: number;
  readonly detail?: string;

  constructor(code: ErrorCode, message: string, options: PlugboardErrorOptions = {}) {
    super(oneLine(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlugboardError';
    this.code = code;
    this.hint = oneLine(options.hint ?? DEFAULT_HINTS[code]);
    this.retryAfterMs = options.retryAfterMs;
    this.detail = options.detail;
  }

  get transient(): boolean {
    return TRANSIENT_CODES.has(this.code);
  }

  /** "CODE: message — hint", the form used in notifications and CLI output. */
  toDisplayString(): string {
    return `${this.code}: ${this.message}${this.hint ? ` — ${this.hint}` : ''}`;
  }

  toJSON(): { code: ErrorCode; message: string; hint: string } {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

export function isPlugboardError(err: unknown): err is PlugboardError {
  return err instanceof PlugboardError;
}

export function cancelled(what = 'The operation'): PlugboardError {
  return new PlugboardError('CANCELLED', `${what} was cancelled.`);
}

/** Throws CANCELLED when the signal has fired; call between steps of long work. */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw cancelled(what);
}

/**
 * One line of plain text: line breaks become spaces, and any other control character, line or paragraph
 * separator or bidi override a message quotes (a key from a file, a server's text) is shown escaped, never raw,
 * so it can neither break a log line nor rearrange what a terminal shows.
 */
function oneLine(message: string): string {
  return message
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .trim();
}
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const DEFAULT_HINTS: Record<ErrorCode, string> = {
  CONNECTION_REFUSED: 'Check that the server is running and that host and port are right.',
  CONNECTION_TIMEOUT: 'The server did not answer in time; check the network, a firewall or the host name.',
  CONNECTION_LOST: 'The connection closed unexpectedly; the server may have restarted. Try again.',
  HOST_NOT_FOUND: 'The host name could not be resolved; check it for typos.',
  AUTHENTICATION_FAILED: 'Check the user name and password (Plugboard: Edit Connection).',
  PERMISSION_DENIED: 'The user lacks a privilege this needs; ask for it or use another role.',
  DATABASE_NOT_FOUND: 'Check the database name; it may not exist on this server.',
  TLS_ERROR: 'Check the SSL mode: the server and the client disagree about TLS or its certificate.',
  QUOTA_EXCEEDED: 'The server is at its limit (connections or rate); wait a moment and try again.',
  SERVER_UNAVAILABLE: 'The server is starting up or shutting down; try again shortly.',
  SCHEMA_ERROR: 'The schema is not what was expected; refresh it and regenerate the client.',
  NOT_FOUND: 'It may have been removed; refresh and try again.',
  INVALID_CONFIG: 'Fix the configuration named in the message and try again.',
  FILE_CONFLICT: 'Plugboard only overwrites files it generated; move the file or choose another folder.',
  CANCELLED: '',
  INTERNAL: 'This looks like a bug in Plugboard; the log (Plugboard: Show Log) has details.',
};
