import { PlugboardError } from '../../core/errors';
import { withRetry } from '../../core/health/retry';
import type { ProviderDefinition, Secret } from '../../core/model';
import { maskValues, redactor } from '../../core/redact';
import { applyAuth, SECRET_FIELDS } from './auth';
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
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
const CREDENTIALED = new Set<ProviderDefinition['authType']>(['api_key', 'bearer', 'basic', 'oauth2']);

/** Where a redirect points, resolved against the URL that answered; only http(s) is followed. */
function nextLocation(from: URL, location: string, label: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new PlugboardError('INVALID_CONFIG', `${label} redirected to an invalid URL.`);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new PlugboardError('INVALID_CONFIG', `${label} redirected to a ${next.protocol} URL, which is not followed.`);
  return next;
}

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
    let url = this.url(req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    this.pinned(url);
    const token = this.definition.authType === 'oauth2' && this.accessToken ? await this.accessToken(req.signal) : undefined;
    let body: string | undefined;
    let contentType: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      contentType = typeof req.body === 'string' ? 'text/plain' : 'application/json';
    }
    const timeout = AbortSignal.timeout(req.timeoutMs ?? this.env.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const started = performance.now();
    this.requestCount++;
    let res: Response;
    let text: string;
    try {
      // Redirects are followed here, not by fetch: fetch keeps custom headers (X-API-Key) and the URL's query
      // across origins. Credentials are added only while the request is on the origin of baseUrl.
      for (let hop = 0; ; hop++) {
        const headers = new Headers(req.headers);
        const onBase = url.origin === this.baseOrigin();
        const target = onBase ? applyAuth(this.definition, this.secret, url, headers, token) : this.withoutCredentials(url, headers);
        if (body !== undefined && !headers.has('content-type')) headers.set('content-type', contentType!);
        if (!headers.has('accept')) headers.set('accept', 'application/json, */*;q=0.5');
        res = await this.env.fetch(target, { method, headers, body, signal, redirect: 'manual' });
        const location = REDIRECTS.has(res.status) ? res.headers.get('location') : null;
        if (location === null) break;
        await res.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new PlugboardError('INVALID_CONFIG', `${label} redirected more than ${MAX_REDIRECTS} times.`, { hint: 'Check baseUrl and the test endpoint in the provider definition.' });
        url = nextLocation(url, location, label);
        // 303, and 301/302 after a POST, continue as GET without the body (as browsers and fetch do).
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
        }
      }
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
      throw errorForStatus(res.status, res.headers, label, this.maskSecrets(redactor.redact(text.slice(0, 300))));
    }
    return { status: res.status, headers: res.headers, text, latencyMs };
  }

  /** The origin credentials belong to: baseUrl's, after its variables were filled in. */
  private baseOrigin(): string | undefined {
    const base = this.definition.baseUrl;
    if (!base) return undefined;
    try {
      return new URL(base).origin;
    } catch {
      return undefined;
    }
  }

  /** A request that carries credentials may only start on the origin of baseUrl. */
  private pinned(url: URL): void {
    if (!CREDENTIALED.has(this.definition.authType) || url.origin === this.baseOrigin()) return;
    throw new PlugboardError('INVALID_CONFIG', `Refusing to send ${this.definition.name} credentials to ${url.origin}: they only go to the origin of its baseUrl (${this.baseOrigin() ?? 'none'}).`, {
      hint: 'Use a path on baseUrl; a provider definition cannot send its credentials to another host.',
    });
  }

  /** Error detail from a response body, with this connection's credentials masked whatever their length. */
  private maskSecrets(text: string): string {
    return maskValues(text, SECRET_FIELDS.filter((f) => f !== 'username').map((f) => this.secret[f]));
  }

  /** The request as it may go to another origin: no auth header, no cookie, no key in the query. */
  private withoutCredentials(url: URL, headers: Headers): URL {
    const out = new URL(url);
    const def = this.definition;
    for (const name of ['authorization', 'proxy-authorization', 'cookie', def.auth.apiKey?.keyName, def.auth.bearer?.headerName]) if (name) headers.delete(name);
    const secrets = SECRET_FIELDS.filter((f) => f !== 'username').map((f) => this.secret[f]).filter((v): v is string => !!v);
    if (def.auth.apiKey?.location === 'query') out.searchParams.delete(def.auth.apiKey.keyName);
    for (const [k, v] of [...out.searchParams]) if (secrets.includes(v)) out.searchParams.delete(k);
    return out;
  }
}

/** The same error, but not retried: a POST that may have reached the server is not sent again. */
function nonTransient(e: PlugboardError): PlugboardError {
  // `transient` is a getter on the class; an own property shadows it for this one instance.
  return e.transient ? Object.defineProperty(e, 'transient', { value: false }) : e;
}
