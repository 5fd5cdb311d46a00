import { PlugboardError, type ErrorCode } from '../../core/errors';
import { classifyError } from '../../core/health/classify';

/**
 * HTTP statuses and fetch failures → PlugboardError, the same codes the database adapters use. Messages name
 * the method and the URL without its query string (an API key may travel there).
 */
export function describeRequest(method: string, url: URL | string): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return `${method} ${u.origin}${u.pathname}`;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const STATUS_CODES: Record<number, ErrorCode> = {
  401: 'AUTHENTICATION_FAILED',
  403: 'AUTHENTICATION_FAILED',
  404: 'NOT_FOUND',
  408: 'CONNECTION_TIMEOUT',
  429: 'QUOTA_EXCEEDED',
  500: 'SERVER_UNAVAILABLE',
  502: 'SERVER_UNAVAILABLE',
  503: 'SERVER_UNAVAILABLE',
  504: 'CONNECTION_TIMEOUT',
};

const STATUS_HINTS: Partial<Record<number, string>> = {
  401: 'The credentials were refused; check the key or token (Plugboard: Edit Connection) or sign in again.',
  403: 'The credentials were accepted but lack access to this resource; check their scopes or permissions.',
  429: 'The provider is rate limiting; Plugboard waits as long as it asks before trying again.',
};

/** The error for a non-success response; `detail` may carry a short, redacted excerpt of the body. */
export function errorForStatus(status: number, headers: Headers, request: string, detail?: string): PlugboardError {
  const code: ErrorCode = STATUS_CODES[status] ?? (status >= 500 ? 'SERVER_UNAVAILABLE' : 'INVALID_CONFIG');
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers.get('retry-after')) : undefined;
  const wait = retryAfterMs !== undefined ? ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)` : '';
  return new PlugboardError(code, `${request} answered ${status}${wait}.`, {
    hint: STATUS_HINTS[status] ?? (code === 'INVALID_CONFIG' ? 'The server refused the request; check the provider definition and the variables.' : undefined),
    retryAfterMs,
    detail,
  });
}

/**
 * Node's fetch throws `TypeError('fetch failed')` with the socket error as `cause`; the cause carries the code
 * (ECONNREFUSED, ENOTFOUND, CERT_…) that classifyError understands.
 */
export function classifyFetchError(err: unknown, request: string, userSignal?: AbortSignal): PlugboardError {
  if (err instanceof PlugboardError) return err;
  if (userSignal?.aborted) return new PlugboardError('CANCELLED', `${request} was cancelled.`);
  const e = err as { name?: string; cause?: unknown };
  if (e?.name === 'TimeoutError') return new PlugboardError('CONNECTION_TIMEOUT', `${request} did not answer in time.`, { cause: err });
  let inner: unknown = err;
  while (inner && typeof inner === 'object' && 'cause' in inner && (inner as { cause?: unknown }).cause) inner = (inner as { cause: unknown }).cause;
  // fetch refuses ports browsers block (1, 25, 6000 …) before connecting: a configuration problem.
  if ((inner as Error)?.message === 'bad port') return new PlugboardError('INVALID_CONFIG', `${request}: this port is blocked for HTTP by fetch.`, { hint: 'Use another port in the base URL.' });
  return classifyError(inner, { context: request });
}
