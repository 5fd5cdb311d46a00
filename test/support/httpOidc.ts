/**
 * A real authorization server (oidc-provider) on 127.0.0.1, port 0, for the OAuth2 tests: a public native
 * client (authorization code + PKCE, refresh tokens, loopback redirect on any port) and a confidential client
 * (client credentials). `browse` plays the user's browser: it follows the authorization redirects with a
 * cookie jar, signs in and consents through oidc-provider's development interactions, and finally requests
 * the redirect URI, which is Plugboard's loopback server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PUBLIC_CLIENT = 'plugboard-desktop';
export const SERVICE_CLIENT = 'plugboard-service';

export interface OidcServer {
  issuer: string;
  /** True when the token is a live access token or client-credentials token of this server. */
  checkToken(token: string): Promise<boolean>;
  /** Ends one access token and nothing else (revocation at the endpoint also ends its grant's refresh tokens). */
  expireAccessToken(token: string): Promise<void>;
  close(): Promise<void>;
}

type ProviderInstance = {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  AccessToken: { find(token: string): Promise<{ destroy(): Promise<void> } | undefined> };
  ClientCredentials: { find(token: string): Promise<unknown> };
  on(event: string, listener: (...args: unknown[]) => void): void;
};

/** oidc-provider prints development-mode notices through console.info/warn; they are expected here, so muted. */
function muteNotices(): () => void {
  const { info, warn } = console;
  const quiet = (orig: (...a: unknown[]) => void) => (...args: unknown[]) => {
    if (typeof args[0] === 'string' && /oidc-provider (NOTICE|WARNING)/.test(args[0])) return;
    orig.apply(console, args);
  };
  console.info = quiet(info);
  console.warn = quiet(warn);
  return () => {
    console.info = info;
    console.warn = warn;
  };
}

export async function startOidc(opts: { serviceSecret: string; accessTokenTtl?: number }): Promise<OidcServer> {
  const unmute = muteNotices();
  // oidc-provider is an ES module; Node 20.19+ loads it through require(), which this CommonJS build emits.
  const name = 'oidc-provider'; // a variable: the package ships no types, and none are needed here
  const mod = (await import(name)) as { default: new (issuer: string, config: object) => ProviderInstance };
  const handler: { current?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server = createServer((req, res) => handler.current?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new mod.default(issuer, {
    clients: [
      {
        client_id: PUBLIC_CLIENT,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      {
        client_id: SERVICE_CLIENT,
        client_secret: opts.serviceSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        scope: 'api:read',
      },
    ],
    scopes: ['openid', 'offline_access', 'api:read'],
    features: { clientCredentials: { enabled: true }, revocation: { enabled: true }, devInteractions: { enabled: true } },
    ttl: { AccessToken: opts.accessTokenTtl ?? 3600, ClientCredentials: 600, RefreshToken: 86400, Grant: 86400, Interaction: 600, Session: 3600 },
    cookies: { keys: ['plugboard-test-cookie-key'] },
    findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id }) }),
    // Refresh tokens for the public client whenever offline_access was granted.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(g: string): boolean }) => client.grantTypeAllowed('refresh_token'),
  });
  provider.on('server_error', (_ctx: unknown, err: unknown) => console.error('oidc-provider server_error', err));
  handler.current = provider.callback();
  return {
    issuer,
    async checkToken(token) {
      return !!((await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token)));
    },
    async expireAccessToken(token) {
      await (await provider.AccessToken.find(token))?.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }).finally(unmute),
  };
}

/** A minimal cookie jar: enough for oidc-provider's interaction and session cookies on one host. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Walks the authorization URL like a browser whose user signs in as `account` and consents to everything, until
 * the server redirects to `redirectPrefix`; then requests that URL (Plugboard's loopback) and returns its status.
 * `decline` aborts at the consent screen instead (the server then redirects with error=access_denied);
 * `deliver` hands the final URL to the caller instead of requesting it (the editor's URI handler case).
 */
export async function browse(authorizeUrl: string, account: string, redirectPrefix: string, opts: { decline?: boolean; deliver?: (url: string) => Promise<number> } = {}): Promise<number> {
  const jar = new CookieJar();
  let next: { url: string; init?: RequestInit } = { url: authorizeUrl };
  for (let hop = 0; hop < 20; hop++) {
    if (next.url.startsWith(redirectPrefix)) return opts.deliver ? opts.deliver(next.url) : (await fetch(next.url)).status;
    const res = await fetch(next.url, { ...next.init, redirect: 'manual', headers: { ...(next.init?.headers as Record<string, string>), cookie: jar.header() } });
    jar.store(res);
    const location = res.headers.get('location');
    if (location) {
      await res.body?.cancel();
      next = { url: new URL(location, next.url).toString() };
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`authorization server answered ${res.status}: ${html.slice(0, 300)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form on the interaction page: ${html.slice(0, 300)}`);
    const isLogin = /name="login"/.test(html);
    const target = new URL(action.replace(/&amp;/g, '&'), next.url).toString();
    if (!isLogin && opts.decline) {
      next = { url: `${target.replace(/\/$/, '')}/abort` };
      continue;
    }
    const form: Record<string, string> = isLogin ? { prompt: 'login', login: account, password: 'any' } : { prompt: 'consent' };
    next = { url: target, init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() } };
  }
  throw new Error('too many redirects while signing in');
}
