import { PlugboardError } from '../../../core/errors';
import type { OAuth2Auth } from '../../../core/model';
import { redactor } from '../../../core/redact';
import { classifyFetchError, describeRequest, errorForStatus } from '../errors';
import type { OAuthTokens } from './tokens';

/**
 * The OAuth2 protocol steps as plain functions over fetch: discovery (OpenID Connect / RFC 8414), the token
 * endpoint for code, refresh and client-credential grants (RFC 6749), and revocation (RFC 7009).
 */
export interface OAuthEndpoints {
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint: string;
  revocationEndpoint?: string;
}

export interface OAuthClient {
  clientId: string;
  clientSecret?: string;
  method: OAuth2Auth['clientAuthMethod'];
}

export interface FlowDeps {
  fetch: typeof fetch;
  now: () => number;
  timeoutMs?: number;
}

const discoveryCache = new Map<string, Promise<Record<string, unknown>>>();

/** Configured URLs win; anything missing comes from the issuer's discovery document when there is one. */
export async function resolveEndpoints(cfg: OAuth2Auth, deps: FlowDeps, signal?: AbortSignal): Promise<OAuthEndpoints> {
  let meta: Record<string, unknown> = {};
  if (cfg.issuer && (!cfg.tokenUrl || !cfg.authUrl || !cfg.revocationUrl)) meta = await discover(cfg.issuer, deps, signal);
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const tokenEndpoint = cfg.tokenUrl ?? str(meta.token_endpoint);
  if (!tokenEndpoint) throw new PlugboardError('INVALID_CONFIG', `The authorization server ${cfg.issuer ?? ''} publishes no token endpoint.`, { hint: 'Set auth.oauth2.tokenUrl in the provider definition.' });
  return {
    issuer: cfg.issuer,
    authorizationEndpoint: cfg.authUrl ?? str(meta.authorization_endpoint),
    tokenEndpoint,
    revocationEndpoint: cfg.revocationUrl ?? str(meta.revocation_endpoint),
  };
}

function discover(issuer: string, deps: FlowDeps, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const base = issuer.replace(/\/+$/, '');
  let pending = discoveryCache.get(base);
  if (!pending) {
    pending = (async () => {
      for (const suffix of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
        // Network failures propagate with their own code; only a 4xx/5xx moves on to the other well-known path.
        const res = await call(deps, `${base}${suffix}`, { method: 'GET', headers: { accept: 'application/json' } }, signal);
        if (!res.ok) {
          await res.body?.cancel().catch(() => undefined);
          continue;
        }
        const meta = (await res.json()) as Record<string, unknown>;
        // RFC 8414 §3.3: the document must name the issuer it was fetched for, or it is not to be trusted.
        if (typeof meta.issuer === 'string' && meta.issuer.replace(/\/+$/, '') !== base) {
          throw new PlugboardError('INVALID_CONFIG', `The discovery document of ${issuer} names another issuer (${meta.issuer}).`);
        }
        return meta;
      }
      throw new PlugboardError('INVALID_CONFIG', `No discovery document at ${base}/.well-known/… .`, { hint: 'Check auth.oauth2.issuer, or give authUrl and tokenUrl instead.' });
    })();
    discoveryCache.set(base, pending);
    pending.catch(() => discoveryCache.delete(base));
  }
  return pending;
}

async function call(deps: FlowDeps, url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  const timeout = AbortSignal.timeout(deps.timeoutMs ?? 15_000);
  try {
    return await deps.fetch(url, { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (err) {
    throw classifyFetchError(err, describeRequest(init.method ?? 'GET', url), signal);
  }
}

/** POSTs a form to the token (or revocation) endpoint with the client authenticated as configured. */
async function postForm(deps: FlowDeps, url: string, client: OAuthClient, form: Record<string, string>, signal?: AbortSignal): Promise<Response> {
  const body = new URLSearchParams(form);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (client.method === 'client_secret_basic' && client.clientSecret !== undefined) {
    // RFC 6749 §2.3.1: both parts form-urlencoded before base64.
    const pair = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
    const encoded = Buffer.from(pair).toString('base64');
    redactor.register(encoded);
    headers.authorization = `Basic ${encoded}`;
  } else {
    body.set('client_id', client.clientId);
    if (client.method === 'client_secret_post' && client.clientSecret !== undefined) body.set('client_secret', client.clientSecret);
  }
  // A 307/308 would re-send the form (client secret, code, refresh token) to wherever it points: not followed.
  const res = await call(deps, url, { method: 'POST', headers, body, redirect: 'manual' }, signal);
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    throw new PlugboardError('INVALID_CONFIG', `${describeRequest('POST', url)} answered with a redirect (${res.status}); credentials are not sent along.`, {
      hint: 'Point the token endpoint (auth.oauth2.tokenUrl or the issuer) at its final URL.',
    });
  }
  return res;
}

async function tokenRequest(deps: FlowDeps, endpoints: OAuthEndpoints, client: OAuthClient, form: Record<string, string>, grant: OAuthTokens['grant'], signal?: AbortSignal, previous?: OAuthTokens): Promise<OAuthTokens> {
  const res = await postForm(deps, endpoints.tokenEndpoint, client, form, signal);
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Handled below: a token response must be JSON.
  }
  const label = describeRequest('POST', endpoints.tokenEndpoint);
  if (!res.ok || typeof json.access_token !== 'string') {
    const error = typeof json.error === 'string' ? json.error : undefined;
    if (error === 'invalid_grant' || error === 'invalid_client' || error === 'unauthorized_client') {
      throw new PlugboardError('AUTHENTICATION_FAILED', `${label} refused the ${form.grant_type} grant (${error}).`, {
        hint: error === 'invalid_client' ? 'Check the client id and client secret.' : 'Sign in again (Plugboard: Sign In).',
      });
    }
    if (!res.ok) throw errorForStatus(res.status, res.headers, label, error);
    throw new PlugboardError('AUTHENTICATION_FAILED', `${label} returned no access token.`);
  }
  const expiresIn = Number(json.expires_in);
  const tokens: OAuthTokens = {
    access: json.access_token,
    // A refresh response may omit the refresh token, meaning "keep using the one you have" (RFC 6749 §6).
    refresh: typeof json.refresh_token === 'string' ? json.refresh_token : previous?.refresh,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? deps.now() + expiresIn * 1000 : undefined,
    scopes: typeof json.scope === 'string' ? json.scope.split(' ').filter(Boolean) : (previous?.scopes ?? form.scope?.split(' ').filter(Boolean) ?? []),
    tokenType: typeof json.token_type === 'string' ? json.token_type : 'Bearer',
    grant,
  };
  redactor.register(tokens.access);
  redactor.register(tokens.refresh);
  return tokens;
}

export function exchangeCode(deps: FlowDeps, endpoints: OAuthEndpoints, client: OAuthClient, code: string, redirectUri: string, verifier: string | undefined, signal?: AbortSignal): Promise<OAuthTokens> {
  const form: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: redirectUri };
  if (verifier) form.code_verifier = verifier;
  return tokenRequest(deps, endpoints, client, form, 'authorization_code', signal);
}

export function refreshTokens(deps: FlowDeps, endpoints: OAuthEndpoints, client: OAuthClient, tokens: OAuthTokens, signal?: AbortSignal): Promise<OAuthTokens> {
  if (!tokens.refresh) throw new PlugboardError('AUTHENTICATION_FAILED', 'The sign-in has expired and cannot be refreshed.', { hint: 'Sign in again (Plugboard: Sign In).' });
  return tokenRequest(deps, endpoints, client, { grant_type: 'refresh_token', refresh_token: tokens.refresh }, tokens.grant ?? 'authorization_code', signal, tokens);
}

export function clientCredentials(deps: FlowDeps, endpoints: OAuthEndpoints, client: OAuthClient, cfg: OAuth2Auth, signal?: AbortSignal): Promise<OAuthTokens> {
  const form: Record<string, string> = { grant_type: 'client_credentials' };
  if (cfg.scopes.length) form.scope = cfg.scopes.join(' ');
  if (cfg.audience) form.audience = cfg.audience;
  return tokenRequest(deps, endpoints, client, form, 'client_credentials', signal);
}

/** RFC 7009: revoke the refresh token (which ends the grant) and the access token. Best effort per token. */
export async function revokeTokens(deps: FlowDeps, endpoints: OAuthEndpoints, client: OAuthClient, tokens: OAuthTokens, signal?: AbortSignal): Promise<boolean> {
  if (!endpoints.revocationEndpoint) return false;
  const pairs: [string, string][] = [];
  if (tokens.refresh) pairs.push([tokens.refresh, 'refresh_token']);
  pairs.push([tokens.access, 'access_token']);
  let ok = true;
  for (const [token, hint] of pairs) {
    const res = await postForm(deps, endpoints.revocationEndpoint, client, { token, token_type_hint: hint }, signal).catch(() => undefined);
    ok &&= !!res?.ok;
    await res?.body?.cancel().catch(() => undefined);
  }
  return ok;
}
