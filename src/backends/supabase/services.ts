import { PlugboardError } from '../../core/errors';
import { redactor } from '../../core/redact';
import { classifyFetchError } from '../http/errors';

/**
 * The project's HTTP services as the health check and the connect see them: the data API (PostgREST behind
 * `/rest/v1/`, called with a key) and the auth service's health endpoint. Every request has a deadline and
 * follows the caller's AbortSignal; no message carries a key (they travel in headers only).
 */
export interface ServiceCall {
  fetch: typeof fetch;
  url: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface Probe {
  latencyMs: number;
  /** `PostgREST 12.2.3`, `GoTrue v2.158.1`, when the service says. */
  version?: string;
}

/** One GET with the deadline and the caller's signal; the response and how long it took. */
async function get(call: ServiceCall, path: string, headers: Record<string, string>, what: string): Promise<{ res: Response; latencyMs: number }> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  const started = performance.now();
  try {
    const res = await call.fetch(`${call.url}${path}`, { headers: { accept: 'application/openapi+json, application/json', ...headers }, signal, redirect: 'follow' });
    return { res, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (err) {
    throw classifyFetchError(err, what, call.signal);
  }
}

/** The body as JSON when it is JSON (capped: the root of a big API is a big document), else undefined. */
async function jsonBody(res: Response, signal: AbortSignal | undefined): Promise<unknown> {
  if (!/json/i.test(res.headers.get('content-type') ?? '')) {
    await res.body?.cancel().catch(() => undefined);
    return undefined;
  }
  try {
    const text = await res.text();
    if (signal?.aborted) return undefined;
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** PostgREST's and the API gateway's words for a key they refuse (PGRST301 "JWSError …", "Invalid API key"). */
function refusesKey(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { code, message, msg } = body as { code?: unknown; message?: unknown; msg?: unknown };
  const text = typeof message === 'string' ? message : typeof msg === 'string' ? msg : '';
  if (code === 'PGRST301' || code === 'PGRST302' || code === 'PGRST303' || /\b(jwt|jws|api key|apikey|invalid.*key|no api key)\b/i.test(text)) {
    return redactor.redact(`${typeof code === 'string' ? `${code} ` : ''}${text}`.trim().slice(0, 200));
  }
  return undefined;
}

/**
 * GET `/rest/v1/` with a key: ok (the OpenAPI root, or any answer showing the key was accepted), or a
 * PlugboardError: AUTHENTICATION_FAILED when the key is refused, NOT_FOUND when nothing serves the data API
 * there, SERVER_UNAVAILABLE for 5xx, the network's code (CONNECTION_REFUSED, HOST_NOT_FOUND, …) otherwise.
 */
export async function probeRest(call: ServiceCall, key: string, keyLabel: string): Promise<Probe> {
  const what = `The data API at ${call.url}/rest/v1/`;
  const { res, latencyMs } = await get(call, '/rest/v1/', { apikey: key, authorization: `Bearer ${key}` }, what);
  const server = /postgrest\/(\S+)/i.exec(res.headers.get('server') ?? '')?.[1];
  const body = await jsonBody(res, call.signal);
  const version = server ?? openApiVersion(body);
  if (res.status === 401 || res.status === 403) {
    const refused = refusesKey(body);
    if (refused) {
      throw new PlugboardError('AUTHENTICATION_FAILED', `${what} refused the ${keyLabel} (${res.status}: ${refused}).`, {
        hint: `Copy the ${keyLabel} again from Project Settings → API (Plugboard: Edit Connection; the CLI reads it from the environment).`,
      });
    }
    // The key passed; only the schema listing is not for this key (newer projects keep it from anon keys).
    return { latencyMs, version: version ? `PostgREST ${version}` : undefined };
  }
  if (res.status === 404) {
    throw new PlugboardError('NOT_FOUND', `Nothing serves the Supabase data API at ${call.url}/rest/v1/ (404).`, {
      hint: 'Check the project URL: Project Settings → API → Project URL, or http://127.0.0.1:54321 for `supabase start`.',
    });
  }
  if (res.status >= 500) throw new PlugboardError('SERVER_UNAVAILABLE', `${what} answered ${res.status}.`, { hint: 'The project may be paused or restarting; try again shortly.' });
  if (res.status !== 200 || body === undefined) {
    throw new PlugboardError('INVALID_CONFIG', `${what} answered ${res.status}${body === undefined ? ' without JSON' : ''}: this is not a Supabase project URL.`, {
      hint: 'Use the Project URL from Project Settings → API (https://<ref>.supabase.co), not the dashboard address.',
    });
  }
  return { latencyMs, version: version ? `PostgREST ${version}` : 'PostgREST' };
}

function openApiVersion(body: unknown): string | undefined {
  const info = (body as { info?: { version?: unknown } } | undefined)?.info;
  return typeof info?.version === 'string' ? info.version : undefined;
}

/** GET `/auth/v1/health`: the auth service's name and version, or why it could not be reached (never throws). */
export async function probeAuth(call: ServiceCall, key: string): Promise<Probe & { ok: boolean; problem?: string }> {
  try {
    const { res, latencyMs } = await get(call, '/auth/v1/health', { apikey: key }, `The auth service at ${call.url}/auth/v1/health`);
    const body = (await jsonBody(res, call.signal)) as { name?: unknown; version?: unknown } | undefined;
    if (res.status !== 200) return { ok: false, latencyMs, problem: `answered ${res.status}` };
    const name = typeof body?.name === 'string' ? body.name : 'Auth';
    return { ok: true, latencyMs, version: typeof body?.version === 'string' ? `${name} ${body.version}` : name };
  } catch (err) {
    if (call.signal?.aborted) throw err;
    return { ok: false, latencyMs: 0, problem: err instanceof PlugboardError ? err.code : 'unreachable' };
  }
}
