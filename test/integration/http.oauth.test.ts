import * as assert from 'node:assert/strict';
import { connectHttp, oauthManagerFor, type HttpSession } from '../../src/backends/http/api';
import { makeHttpEnvironment, type HttpEnvironment } from '../../src/backends/http/environment';
import { startLoopbackRedirect, type RedirectWaiter } from '../../src/backends/http/oauth/loopback';
import type { OAuthTarget } from '../../src/backends/http/oauth/signIn';
import { redactor } from '../../src/core/redact';
import { parseProviderDefinition, type ConnectionProfile, type ProviderDefinition } from '../../src/core/model';
import { MemorySecretStore, oauthAccountsKey, tokensKey } from '../../src/core/profiles/secrets';
import { ProviderRegistry, resolveDefinition } from '../../src/core/registry';
import { startLocalApi, type LocalApi } from '../support/httpApi';
import { browse, PUBLIC_CLIENT, SERVICE_CLIENT, startOidc, type OidcServer } from '../support/httpOidc';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertNoSecrets, assertTreeClean, expectFailure, SECRETS } from '../support/httpSecrets';
import { compileStrict, generateRestClient } from '../support/httpTsc';

describe('http adapter: OAuth2 against oidc-provider', function () {
  this.timeout(30_000);
  let oidc: OidcServer;
  let api: LocalApi;
  let clock = 0;
  const logs: string[] = [];
  const errors: string[] = [];
  const secrets = new MemorySecretStore();
  const defs = new Map<string, ProviderDefinition>();
  let env: HttpEnvironment;

  before(async () => {
    oidc = await startOidc({ serviceSecret: SECRETS.clientSecret });
    api = await startLocalApi(SECRETS, { checkOAuth: (t) => oidc.checkToken(t) });
    env = makeHttpEnvironment({ providers: { get: (id) => (defs.has(id) ? { definition: defs.get(id)! } : undefined) }, secrets, log: (l) => logs.push(l), now: () => Date.now() + clock });
    defs.set('idp', def('idp', { issuer: oidc.issuer, clientId: PUBLIC_CLIENT, clientAuthMethod: 'none', scopes: ['openid', 'offline_access', 'api:read'] }));
    defs.set('service', def('service', { issuer: oidc.issuer, clientId: SERVICE_CLIENT, grantTypes: ['client_credentials'], scopes: ['api:read'] }));
  });
  after(async () => {
    await api.close();
    await oidc.close();
    assertNoSecrets(logs.join('\n'), 'the OAuth log');
    assertNoSecrets(errors.join('\n'), 'OAuth error messages');
  });

  function def(id: string, oauth2: Record<string, unknown>): ProviderDefinition {
    return parseProviderDefinition({ id, name: `OAuth ${id}`, category: 'test', version: '1.0.0', authType: 'oauth2', baseUrl: api.url, test: { endpoint: '/oauth/me' }, auth: { oauth2 } }, id);
  }
  const target = (providerId: string, profileId: string, accountId?: string, secret = {}): OAuthTarget => ({ profileId, accountId, definition: defs.get(providerId)!, secret });
  const profile = (providerId: string, id: string, accountId?: string): ConnectionProfile => ({ id, name: id, kind: 'http', options: { provider: providerId, ...(accountId ? { accountId } : {}) } });
  /** The user's browser: signs in as `account` and delivers the redirect to Plugboard's loopback. */
  const browser = (account: string, opts: { decline?: boolean } = {}) => async (url: string) => {
    const redirect = new URL(url).searchParams.get('redirect_uri')!;
    await browse(url, account, redirect, opts);
  };

  const failure = (p: Promise<unknown>) => expectFailure(errors, p);

  it('signs in with authorization code + PKCE through a loopback redirect, stores tokens in the SecretStore', async () => {
    const oauth = oauthManagerFor(env);
    assert.equal((await oauth.status('alice-conn')).label, 'needs sign-in');
    const tokens = await oauth.signIn(target('idp', 'alice-conn'), { openUrl: browser('alice') });
    assert.ok(tokens.refresh, 'offline_access gives a refresh token');
    assert.deepEqual(tokens.scopes.sort(), ['api:read', 'offline_access', 'openid']);
    const stored = JSON.parse((await secrets.get(tokensKey('alice-conn', 'default')))!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(stored).sort(), ['access', 'expiresAt', 'grant', 'refresh', 'scopes', 'tokenType']);
    assert.match((await oauth.status('alice-conn')).label, /^expires in (59 min|1 h)$/);
    const session = (await connectHttp(profile('idp', 'alice-conn'), {}, env)) as HttpSession;
    assert.equal((await session.ping()).status, 'ok');
    // Tokens are secrets too: once loaded they are masked in anything that goes through the redactor.
    assert.equal(redactor.redact(`${tokens.access} ${tokens.refresh}`), '••• •••');
    assertNoSecrets(logs.join('\n'), 'the OAuth log', [tokens.access, tokens.refresh!]);
  });

  it('keeps several accounts per connection, each with its own tokens', async () => {
    const oauth = oauthManagerFor(env);
    await oauth.signIn(target('idp', 'multi'), { openUrl: browser('alice') });
    await oauth.signIn(target('idp', 'multi', 'work'), { openUrl: browser('bob') });
    assert.deepEqual(await oauth.tokens.accounts('multi'), ['default', 'work']);
    const a = await oauth.tokens.get('multi');
    const b = await oauth.tokens.get('multi', 'work');
    assert.notEqual(a?.access, b?.access);
    assert.equal((await (await connectHttp(profile('idp', 'multi', 'work'), {}, env)).ping()).status, 'ok');
  });

  it('refreshes before expiry, and once more after a 401', async () => {
    const oauth = oauthManagerFor(env);
    await oauth.signIn(target('idp', 'refresh'), { openUrl: browser('carol') });
    const first = (await oauth.tokens.get('refresh'))!;
    clock = first.expiresAt! - Date.now() - 30_000; // 30 s before expiry: inside the refresh margin
    try {
      assert.equal((await oauth.status('refresh')).state, 'expiring');
      const session = (await connectHttp(profile('idp', 'refresh'), {}, env)) as HttpSession;
      const second = (await oauth.tokens.get('refresh'))!;
      assert.notEqual(second.access, first.access, 'connect refreshed the token');
      assert.equal((await session.ping()).status, 'ok');
      // The server drops the access token early (the grant lives on): the next request gets a 401, refreshes, succeeds.
      clock = 0;
      await oidc.expireAccessToken(second.access);
      assert.equal(await oidc.checkToken(second.access), false);
      assert.equal((await session.ping()).status, 'ok');
      assert.notEqual((await oauth.tokens.get('refresh'))!.access, second.access);
    } finally {
      clock = 0;
    }
  });

  it('signs out with RFC 7009 revocation and forgets the tokens; the tree then says "needs sign-in"', async () => {
    const oauth = oauthManagerFor(env);
    const tokens = await oauth.signIn(target('idp', 'leaving'), { openUrl: browser('dave') });
    assert.equal(await oidc.checkToken(tokens.access), true);
    assert.deepEqual(await oauth.signOut(target('idp', 'leaving')), { revoked: true });
    assert.equal(await oidc.checkToken(tokens.access), false, 'revoking the refresh token ended the grant');
    assert.equal(await secrets.get(tokensKey('leaving', 'default')), undefined);
    assert.equal(await secrets.get(oauthAccountsKey('leaving')), undefined);
    assert.equal((await oauth.status('leaving')).label, 'needs sign-in');
    const err = await failure(connectHttp(profile('idp', 'leaving'), {}, env));
    assert.equal(err.code, 'AUTHENTICATION_FAILED');
    assert.match(err.hint, /Sign In/);
    await oauth.signIn(target('idp', 'leaving2'), { openUrl: browser('dave') });
    await oauth.signIn(target('idp', 'leaving2', 'b'), { openUrl: browser('erin') });
    await oauth.signOutAll({ profileId: 'leaving2', definition: defs.get('idp')!, secret: {} });
    assert.deepEqual(await oauth.tokens.accounts('leaving2'), []);
  });

  it('reports a declined consent, ignores redirects with a wrong state, times out and cancels', async () => {
    const oauth = oauthManagerFor(env);
    const declined = await failure(oauth.signIn(target('idp', 'declined'), { openUrl: browser('frank', { decline: true }) }));
    assert.equal(declined.code, 'AUTHENTICATION_FAILED');
    assert.match(declined.message, /access_denied/);

    const loop = await startLoopbackRedirect({ timeoutMs: 1_500 });
    const waiting = loop.wait('expected-state');
    const stray = await fetch(`${loop.redirectUri}?code=x&state=forged`);
    assert.equal(stray.status, 400, 'a redirect with another state is refused and the wait goes on');
    const ok = await fetch(`${loop.redirectUri}?code=abc&state=expected-state`);
    assert.equal(ok.status, 200);
    assert.equal((await waiting).get('code'), 'abc');
    await assert.rejects(fetch(`${loop.redirectUri}?code=again&state=expected-state`), 'one-shot: the server is closed after the redirect');

    const slow = await startLoopbackRedirect({ timeoutMs: 200 });
    assert.equal((await failure(slow.wait('s'))).code, 'CONNECTION_TIMEOUT');
    const controller = new AbortController();
    const cancelled = failure(oauth.signIn(target('idp', 'cancelled'), { openUrl: () => setTimeout(() => controller.abort(), 50), signal: controller.signal }));
    assert.equal((await cancelled).code, 'CANCELLED');
  });

  it('accepts a redirect owned by the caller (the editor URI handler case) and configured URLs without discovery', async () => {
    const template = new ProviderRegistry().require('oauth2-authorization-code').definition;
    defs.set(
      'configured',
      resolveDefinition(template, {
        baseUrl: api.url, authUrl: `${oidc.issuer}/auth`, tokenUrl: `${oidc.issuer}/token`, revocationUrl: `${oidc.issuer}/token/revocation`,
        clientId: PUBLIC_CLIENT, scopes: 'openid offline_access api:read', testPath: '/oauth/me',
      }),
    );
    let deliver: ((params: URLSearchParams) => void) | undefined;
    const handler: RedirectWaiter = {
      redirectUri: 'http://127.0.0.1/callback', // what asExternalUri would hand out, registered at the server
      wait: () => new Promise((resolve) => (deliver = resolve)),
      close: async () => undefined,
    };
    const tokens = await oauthManagerFor(env).signIn(target('configured', 'handler'), {
      redirect: handler,
      openUrl: (url: string) => void browse(url, 'grace', handler.redirectUri, { deliver: async (u) => (deliver!(new URL(u).searchParams), 200) }),
    });
    assert.ok(tokens.refresh);
    assert.equal((await (await connectHttp(profile('configured', 'handler'), {}, env)).ping()).status, 'ok');
  });

  it('a generated client gets its own client-credentials token (discovered or configured) and calls the API', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-oauthgen-'));
    try {
      const me = [{ method: 'GET', path: '/oauth/me', operationId: 'me', parameters: [] }];
      const configured = def('svc-configured', { tokenUrl: `${oidc.issuer}/token`, clientId: SERVICE_CLIENT, grantTypes: ['client_credentials'], scopes: ['api:read'] });
      const files = [await generateRestClient(defs.get('service')!, me, dir), await generateRestClient(configured, me, dir)];
      const compiled = await compileStrict(dir, files);
      assert.equal(compiled.code, 0, compiled.output);
      for (const [file, prefix] of [[files[0]!, 'SERVICE'], [files[1]!, 'SVC_CONFIGURED']] as const) {
        const mod = require(path.join(dir, 'js', file.replace(/\.ts$/, '.js'))) as Record<string, new (o: object) => { me(): Promise<{ who: string }> }>;
        const Client = Object.values(mod).find((v) => typeof v === 'function' && /Client$/.test(v.name))!;
        assert.deepEqual(await new Client({ env: { [`${prefix}_CLIENT_SECRET`]: SECRETS.clientSecret } }).me(), { who: 'oauth' });
        await assert.rejects(new Client({ env: { [`${prefix}_CLIENT_SECRET`]: 'wrong' } }).me(), (err: Error & { status?: number }) => err.status === 401);
      }
      await assertTreeClean(dir);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('client credentials: tokens on connect from the client secret; a wrong secret is AUTHENTICATION_FAILED', async () => {
    const session = (await connectHttp(profile('service', 'svc'), { clientSecret: SECRETS.clientSecret }, env)) as HttpSession;
    assert.equal((await session.ping()).status, 'ok');
    const stored = await oauthManagerFor(env).tokens.get('svc');
    assert.equal(stored?.grant, 'client_credentials');
    assert.deepEqual(stored?.scopes, ['api:read']);
    clock = stored!.expiresAt! - Date.now() + 1_000; // expired: a new token is fetched, no refresh token needed
    try {
      assert.equal((await oauthManagerFor(env).status('svc')).label, 'expired — refreshes on next use');
      assert.equal((await session.ping()).status, 'ok');
    } finally {
      clock = 0;
    }
    const err = await failure(connectHttp(profile('service', 'svc-wrong'), { clientSecret: 'not-the-secret' }, env));
    assert.equal(err.code, 'AUTHENTICATION_FAILED');
    assert.match(err.message, /invalid_client/);
  });
});
