import { PlugboardError } from '../../core/errors';
import { withRetry } from '../../core/health/retry';
import type { ProviderDefinition, Secret } from '../../core/model';
import { redactor } from '../../core/redact';
import { applyAuth } from './auth';
import type { HttpEnvironment } from './environment';
import { classifyFetchError, describeRequest, errorForStatus } from './errors';

/**
 * Requests to one provider on behalf of one connection: auth applied, the provider's token bucket respected,
 * a timeout on every attempt, transient failures retried with backoff + jitter (Retry-After honoured), and
 * every failure turned into a PlugboardError whose text cannot show a credential.
 */
export interface HttpRequest {
  method: string;
  /** A path appended to the base URL, or an absolute URL. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Statuses that count as success (default: any 2xx). */
  expect?: readonly number[];
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  latencyMs: number;
}

/** Gives the current OAuth2 access token, refreshing it first when needed; `force` after a 401. */
export type AccessTokenSource = (signal?: AbortSignal, force?: boolean) => Promise<{ access: string; tokenType: string }>;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export class HttpClient {
  requestCount = 0;

  constructor(
    readonly definition: ProviderDefinition,
    private readonly secret: Secret,
    private readonly env: HttpEnvironment,
    private readonly accessToken?: AccessTokenSource,
  ) {}

  url(path: string): URL {
    if (/^https?:\/\//i.test(path)) return new URL(path);
    const base = this.definition.baseUrl;
    if (!base) throw new PlugboardError('INVALID_CONFIG', `Provider ${this.definition.id} has no baseUrl.`);
    return new URL(base.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`));
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method.toUpperCase();
    const label = describeRequest(method, this.url(req.path));
    const bucket = this.env.limiters.for(this.definition.id, this.definition.rateLimits);
    let refreshed = false;
    return withRetry(
      async () => {
        await bucket?.take(req.signal);
        try {
          return await this.once(method, req, label);
        } catch (err) {
          const e = err as PlugboardError;
          if (e.code === 'QUOTA_EXCEEDED' && e.retryAfterMs) bucket?.pauseFor(e.retryAfterMs);
          // One refresh on a 401: the token may have been revoked or expired early on the server's clock.
          if (e.code === 'AUTHENTICATION_FAILED' && this.accessToken && !refreshed && /answered 401/.test(e.message)) {
            refreshed = true;
            await this.accessToken(req.signal, true);
            return this.once(method, req, label);
          }
          throw err;
        }
      },
      (err) => {
        const e = classifyFetchError(err, label, req.signal);
        // Only requests that cannot do harm twice are repeated; a 429 was refused, so it is safe to resend.
        return IDEMPOTENT.has(method) || e.code === 'QUOTA_EXCEEDED' ? e : nonTransient(e);
      },
      {
        attempts: this.env.attempts,
        signal: req.signal,
        onRetry: (err, attempt, delay) => {
          if (delay > this.env.maxRetryWaitMs) throw err;
          this.env.log(`[http] ${err.code} from ${label}; attempt ${attempt + 1} in ${delay} ms`);
        },
      },
    );
  }

  private async once(method: string, req: HttpRequest, label: string): Promise<HttpResponse> {
    const headers = new Headers(req.headers);
    let url = this.url(req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const token = this.definition.authType === 'oauth2' && this.accessToken ? await this.accessToken(req.signal) : undefined;
    url = applyAuth(this.definition, this.secret, url, headers, token);
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      if (!headers.has('content-type')) headers.set('content-type', typeof req.body === 'string' ? 'text/plain' : 'application/json');
    }
    if (!headers.has('accept')) headers.set('accept', 'application/json, */*;q=0.5');
    const timeout = AbortSignal.timeout(req.timeoutMs ?? this.env.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const started = performance.now();
    this.requestCount++;
    let res: Response;
    let text: string;
    try {
      res = await this.env.fetch(url, { method, headers, body, signal, redirect: 'follow' });
      text = method === 'HEAD' ? '' : await res.text();
    } catch (err) {
      throw classifyFetchError(err, label, req.signal);
    }
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const ok = req.expect ? req.expect.includes(res.status) : res.status >= 200 && res.status < 300;
    if (!ok) {
      if (res.status >= 200 && res.status < 400) {
        throw new PlugboardError('INVALID_CONFIG', `${label} answered ${res.status}, expected ${req.expect?.join(' or ')}.`, {
          hint: 'Check the test endpoint and expected status in the provider definition.',
        });
      }
      throw errorForStatus(res.status, res.headers, label, redactor.redact(text.slice(0, 300)));
    }
    return { status: res.status, headers: res.headers, text, latencyMs };
  }
}

/** The same error, but not retried: a POST that may have reached the server is not sent again. */
function nonTransient(e: PlugboardError): PlugboardError {
  // `transient` is a getter on the class; an own property shadows it for this one instance.
  return e.transient ? Object.defineProperty(e, 'transient', { value: false }) : e;
}
