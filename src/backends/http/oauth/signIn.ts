import { PlugboardError } from '../../../core/errors';
import type { ProviderDefinition, Secret } from '../../../core/model';
import { registerSecrets } from '../auth';
import type { HttpEnvironment } from '../environment';
import { clientCredentials, exchangeCode, refreshTokens, resolveEndpoints, revokeTokens, type FlowDeps, type OAuthClient } from './flows';
import { startLoopbackRedirect, type RedirectWaiter } from './loopback';
import { createPkce, randomState } from './pkce';
import { REFRESH_SKEW_MS, TokenStore, tokenStatus, type OAuthTokens, type TokenStatus } from './tokens';

/**
 * OAuth2 for one connection: interactive sign-in (authorization code + PKCE through a loopback redirect or a
 * redirect the caller owns, such as the editor's URI handler), client credentials, refresh before expiry,
 * sign-out with revocation. `definition` is the resolved one (variables filled in).
 */
export interface OAuthTarget {
  profileId: string;
  accountId?: string;
  definition: ProviderDefinition;
  secret: Secret;
}

export interface SignInOptions {
  /** Opens the authorization URL in the user's browser (the editor passes vscode.env.openExternal). */
  openUrl: (url: string) => Promise<unknown> | unknown;
  /** A redirect owned by the caller (e.g. vscode://…/oauth from asExternalUri); else a loopback server is used. */
  redirect?: RedirectWaiter;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class OAuthManager {
  readonly tokens: TokenStore;
  /** One refresh at a time per account: parallel requests share it instead of racing with the same refresh token. */
  private readonly inflight = new Map<string, Promise<OAuthTokens>>();

  constructor(private readonly env: HttpEnvironment) {
    this.tokens = new TokenStore(env.secrets);
  }

  private deps(): FlowDeps {
    return { fetch: this.env.fetch, now: this.env.now, timeoutMs: this.env.timeoutMs };
  }

  private config(t: OAuthTarget) {
    const cfg = t.definition.auth.oauth2;
    if (t.definition.authType !== 'oauth2' || !cfg) throw new PlugboardError('INVALID_CONFIG', `${t.definition.name} does not use OAuth2.`);
    registerSecrets(t.secret);
    const clientId = cfg.clientId ?? t.secret.clientId;
    if (!clientId) throw new PlugboardError('INVALID_CONFIG', `No OAuth2 client id for ${t.definition.name}.`, { hint: 'Set auth.oauth2.clientId (or its variable) in the provider definition.' });
    const client: OAuthClient = { clientId, clientSecret: t.secret.clientSecret, method: cfg.clientAuthMethod };
    return { cfg, client };
  }

  async signIn(t: OAuthTarget, opts: SignInOptions): Promise<OAuthTokens> {
    const { cfg, client } = this.config(t);
    if (!cfg.grantTypes.includes('authorization_code')) return this.fetchClientCredentials(t, opts.signal);
    const endpoints = await resolveEndpoints(cfg, this.deps(), opts.signal);
    if (!endpoints.authorizationEndpoint) throw new PlugboardError('INVALID_CONFIG', 'The authorization server has no authorization endpoint.', { hint: 'Set auth.oauth2.authUrl.' });
    const redirect = opts.redirect ?? (await startLoopbackRedirect({ timeoutMs: opts.timeoutMs }));
    try {
      const state = randomState();
      const pkce = cfg.pkce ? createPkce() : undefined;
      const url = new URL(endpoints.authorizationEndpoint);
      const params: Record<string, string> = { response_type: 'code', client_id: client.clientId, redirect_uri: redirect.redirectUri, state };
      if (cfg.scopes.length) params.scope = cfg.scopes.join(' ');
      if (pkce) Object.assign(params, { code_challenge: pkce.challenge, code_challenge_method: pkce.method });
      if (cfg.audience) params.audience = cfg.audience;
      // offline_access is only granted with explicit consent (OpenID Connect Core §11).
      if (cfg.scopes.includes('offline_access')) params.prompt = 'consent';
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      const waiting = redirect.wait(state, opts.signal);
      waiting.catch(() => undefined); // observed below; this only keeps an early failure from going unhandled
      await opts.openUrl(url.toString());
      const answer = await waiting;
      if (answer.get('state') !== state) throw new PlugboardError('AUTHENTICATION_FAILED', 'The sign-in redirect did not carry the expected state; it was ignored.');
      const error = answer.get('error');
      if (error) throw new PlugboardError('AUTHENTICATION_FAILED', `The authorization server refused the sign-in (${error}).`, { hint: 'Try Sign In again; check the requested scopes.' });
      const code = answer.get('code');
      if (!code) throw new PlugboardError('AUTHENTICATION_FAILED', 'The sign-in redirect carried no authorization code.');
      const tokens = await exchangeCode(this.deps(), endpoints, client, code, redirect.redirectUri, pkce?.verifier, opts.signal);
      await this.tokens.save(t.profileId, t.accountId ?? 'default', tokens);
      this.env.log(`[oauth] ${t.profileId}/${t.accountId ?? 'default'} signed in (${tokens.scopes.join(' ') || 'no scopes'})`);
      return tokens;
    } finally {
      await redirect.close();
    }
  }

  private async fetchClientCredentials(t: OAuthTarget, signal?: AbortSignal): Promise<OAuthTokens> {
    const { cfg, client } = this.config(t);
    if (client.clientSecret === undefined) throw new PlugboardError('AUTHENTICATION_FAILED', `No client secret is stored for ${t.definition.name}.`, { hint: 'Add it with Plugboard: Edit Connection.' });
    const tokens = await clientCredentials(this.deps(), await resolveEndpoints(cfg, this.deps(), signal), client, cfg, signal);
    await this.tokens.save(t.profileId, t.accountId ?? 'default', tokens);
    return tokens;
  }

  /** The token for a request: refreshed when within REFRESH_SKEW_MS of expiry (or `force`d after a 401). */
  accessToken(t: OAuthTarget, signal?: AbortSignal, force = false): Promise<OAuthTokens> {
    const key = `${t.profileId}\u0000${t.accountId ?? 'default'}`;
    const running = this.inflight.get(key);
    if (running) return running;
    const work = (async () => {
      const { cfg, client } = this.config(t);
      const current = await this.tokens.get(t.profileId, t.accountId);
      const fresh = current && (current.expiresAt === undefined || current.expiresAt - this.env.now() > REFRESH_SKEW_MS);
      if (current && fresh && !force) return current;
      if (current?.refresh) {
        try {
          const next = await refreshTokens(this.deps(), await resolveEndpoints(cfg, this.deps(), signal), client, current, signal);
          await this.tokens.save(t.profileId, t.accountId ?? 'default', next);
          return next;
        } catch (err) {
          // A refused refresh token will not work later either: forget it so the tree says "needs sign-in".
          if ((err as PlugboardError).code === 'AUTHENTICATION_FAILED') await this.tokens.forget(t.profileId, t.accountId);
          throw err;
        }
      }
      if (cfg.grantTypes.includes('client_credentials') && client.clientSecret !== undefined) return this.fetchClientCredentials(t, signal);
      throw new PlugboardError('AUTHENTICATION_FAILED', `${t.definition.name}: ${current ? 'the sign-in has expired' : 'not signed in'} (account ${t.accountId ?? 'default'}).`, {
        hint: 'Run Plugboard: Sign In for this connection.',
      });
    })();
    this.inflight.set(key, work);
    return work.finally(() => this.inflight.delete(key));
  }

  async status(profileId: string, accountId = 'default'): Promise<TokenStatus> {
    return tokenStatus(await this.tokens.get(profileId, accountId), this.env.now());
  }

  /** Revokes at the server when it offers RFC 7009 revocation, then forgets locally whatever the server said. */
  async signOut(t: OAuthTarget, signal?: AbortSignal): Promise<{ revoked: boolean }> {
    const tokens = await this.tokens.get(t.profileId, t.accountId);
    let revoked = false;
    if (tokens) {
      try {
        const { cfg, client } = this.config(t);
        revoked = await revokeTokens(this.deps(), await resolveEndpoints(cfg, this.deps(), signal), client, tokens, signal);
      } catch (err) {
        this.env.log(`[oauth] revocation failed for ${t.profileId}: ${(err as Error).message}`);
      }
    }
    await this.tokens.forget(t.profileId, t.accountId);
    return { revoked };
  }

  /** On connection removal: sign every account out; `revoked` when the server confirmed it for all of them. */
  async signOutAll(t: Omit<OAuthTarget, 'accountId'>, signal?: AbortSignal): Promise<{ revoked: boolean }> {
    let revoked = true;
    for (const accountId of await this.tokens.accounts(t.profileId)) revoked = (await this.signOut({ ...t, accountId }, signal)).revoked && revoked;
    return { revoked };
  }
}
