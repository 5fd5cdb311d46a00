import * as assert from 'node:assert/strict';
import { connectHttp, makeHttpEnvironment, type HttpEnvironment, type HttpSession } from '../../src/backends/http/api';
import type { Session } from '../../src/core/backend';
import { CATALOG } from '../support/host';
import { redactor } from '../../src/core/redact';
import { parseProviderDefinition, type ConnectionProfile, type ProviderDefinitionInput, type Secret } from '../../src/core/model';
import { startLocalApi, startSelfSignedHttps, type LocalApi } from '../support/httpApi';
import { assertNoSecrets, expectFailure, SECRETS } from '../support/httpSecrets';
import { createServer } from 'node:net';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('http adapter against a local API', function () {
  this.timeout(30_000);
  let api: LocalApi;
  const logs: string[] = [];
  const errors: string[] = [];
  const defs = new Map<string, ReturnType<typeof parseProviderDefinition>>();

  before(async () => {
    api = await startLocalApi(SECRETS);
  });
  after(async () => {
    await api.close();
    // Everything a user or a log could have seen during this suite.
    assertNoSecrets(logs.join('\n'), 'the adapter log');
    assertNoSecrets(errors.join('\n'), 'error messages');
  });

  function env(overrides: Partial<HttpEnvironment> = {}): HttpEnvironment {
    return makeHttpEnvironment({ providers: { get: (id) => (defs.has(id) ? { definition: defs.get(id)! } : undefined) }, log: (l) => logs.push(l), timeoutMs: 2_000, ...overrides });
  }

  function provider(id: string, authType: ProviderDefinitionInput['authType'], test: string, extra: Partial<ProviderDefinitionInput> = {}): string {
    defs.set(id, parseProviderDefinition({ id, name: `Local ${id}`, category: 'test', version: '1.0.0', authType, baseUrl: api.url, test: { endpoint: test }, ...extra }, id));
    return id;
  }

  async function connect(providerId: string, secret: Secret, e = env(), variables?: Record<string, string>): Promise<HttpSession> {
    const profile: ConnectionProfile = { id: `p-${providerId}`, name: `profile ${providerId}`, kind: 'http', options: { provider: providerId, ...(variables ? { variables } : {}) } };
    return connectHttp(profile, secret, e);
  }

  const failure = (p: Promise<unknown>) => expectFailure(errors, p);

  it('is registered as the lazily loaded `http` kind', async () => {
    const backend = CATALOG.get('http');
    assert.equal(backend.label, 'REST API');
    assert.equal(backend.capabilities.introspect, true);
    assert.equal(typeof (await CATALOG.driver('http')).connect, 'function');
  });

  it('api key in a header: Test Connection passes with the key and fails (401) with another', async () => {
    const id = provider('key-header', 'api_key', '/key-header/me', { auth: { apiKey: { location: 'header', keyName: 'X-API-Key' } } });
    const session = await connect(id, { apiKey: SECRETS.apiKey });
    const report = await session.ping();
    assert.equal(report.status, 'ok');
    assert.ok(report.latencyMs !== undefined && report.latencyMs >= 0);
    assert.match(report.serverVersion ?? '', /HTTP 200/);
    const wrong = await connect(id, { apiKey: 'not-the-key' });
    const err = await failure(wrong.ping());
    assert.equal(err.code, 'AUTHENTICATION_FAILED');
    assert.match(err.message, /GET http:\/\/127\.0\.0\.1:\d+\/key-header\/me answered 401/);
    assert.equal(api.count('/key-header/me'), 2, '401 is not retried');
    assert.equal((await failure(connect(id, {}))).code, 'AUTHENTICATION_FAILED', 'no key stored: refused before any request');
  });

  it('api key in the query: sent as a parameter, never shown in messages or logs', async () => {
    const id = provider('key-query', 'api_key', '/key-query/me', { auth: { apiKey: { location: 'query', keyName: 'api_key' } } });
    const session = await connect(id, { apiKey: SECRETS.apiKey });
    assert.equal((await session.ping()).status, 'ok');
    assert.equal(api.requests.at(-1)?.query.get('api_key'), SECRETS.apiKey);
    // The server echoes the key in its error body: the detail that reaches the log is redacted.
    const err = await failure(session.request({ method: 'GET', path: '/echo-secret' }));
    assert.equal(err.code, 'INVALID_CONFIG');
    assert.ok(!err.message.includes('?'), 'the URL in the message has no query string');
    assert.match(err.detail ?? '', /rejected key •••/);
  });

  it('masks a key shorter than 4 characters in the error detail too (issue 13, item 11)', async () => {
    const id = provider('key-short', 'api_key', '/key-query/me', { auth: { apiKey: { location: 'query', keyName: 'api_key' } } });
    for (const key of ['x7Q', 'k9', 'Ж']) {
      const session = await connect(id, { apiKey: key });
      const err = await failure(session.request({ method: 'GET', path: '/echo-secret' }));
      assert.match(err.detail ?? '', /rejected key •••"/, `key of ${key.length}: ${err.detail}`);
      assert.ok(!(err.detail ?? '').includes(`key ${key}`), `the ${key.length}-character key is in the detail`);
    }
  });

  it('registers every credential it is given with the redactor on connect', async () => {
    const id = provider('redact', 'bearer', '/bearer/me');
    await connect(id, { token: SECRETS.token, apiKey: SECRETS.apiKey, password: SECRETS.password, clientSecret: SECRETS.clientSecret, webhookSecret: SECRETS.webhookSecret });
    const line = redactor.redact(`t=${SECRETS.token} k=${SECRETS.apiKey} p=${SECRETS.password} c=${SECRETS.clientSecret} w=${SECRETS.webhookSecret}`);
    assertNoSecrets(line, 'a redacted line');
  });

  it('bearer and basic credentials', async () => {
    const bearer = provider('bearer', 'bearer', '/bearer/me');
    assert.equal((await (await connect(bearer, { token: SECRETS.token })).ping()).status, 'ok');
    assert.equal((await failure((await connect(bearer, { token: 'expired' })).ping())).code, 'AUTHENTICATION_FAILED');
    const basic = provider('basic', 'basic', '/basic/me', { auth: { basic: {} } });
    assert.equal((await (await connect(basic, { username: SECRETS.username, password: SECRETS.password })).ping()).status, 'ok');
    assert.equal((await failure((await connect(basic, { username: SECRETS.username, password: 'wrong' })).ping())).code, 'AUTHENTICATION_FAILED');
  });

  it('classifies 403, 404, 500 and an unexpected success status', async () => {
    const session = await connect(provider('errors', 'none', '/created'), {});
    assert.equal((await failure(session.request({ method: 'GET', path: '/forbidden' }))).code, 'AUTHENTICATION_FAILED');
    assert.equal((await failure(session.request({ method: 'GET', path: '/nowhere' }))).code, 'NOT_FOUND');
    const before = api.count('/error500');
    assert.equal((await failure(session.request({ method: 'GET', path: '/error500' }))).code, 'SERVER_UNAVAILABLE');
    assert.equal(api.count('/error500') - before, 3, 'a 500 on GET is retried up to the attempt limit');
    const wrongStatus = await failure(session.ping());
    assert.equal(wrongStatus.code, 'INVALID_CONFIG');
    assert.match(wrongStatus.message, /answered 201, expected 200/);
  });

  it('retries transient failures with backoff and honours Retry-After on 429', async () => {
    const session = await connect(provider('transient', 'none', '/health'), {});
    assert.equal((await session.request({ method: 'GET', path: '/flaky' })).status, 200);
    assert.equal(api.count('/flaky'), 3);
    const started = Date.now();
    assert.equal((await session.request({ method: 'GET', path: '/limited' })).status, 200);
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After: 1');
    assert.equal(api.count('/limited'), 2);
  });

  it('reports a long Retry-After at once instead of waiting, and does not resend a POST after a 5xx', async () => {
    const session = await connect(provider('quota', 'none', '/health'), {});
    const started = Date.now();
    const err = await failure(session.request({ method: 'GET', path: '/limited-long' }));
    assert.equal(err.code, 'QUOTA_EXCEEDED');
    assert.equal(err.retryAfterMs, 3_600_000);
    assert.ok(Date.now() - started < 1_000);
    assert.equal((await failure(session.request({ method: 'POST', path: '/post-503', body: { a: 1 } }))).code, 'SERVER_UNAVAILABLE');
    assert.equal(api.count('/post-503'), 1);
    assert.equal((await session.request({ method: 'POST', path: '/post-limited', body: {} })).status, 200, 'a refused (429) POST is safe to resend');
  });

  it('times out, cancels, and classifies refused connections, DNS failures and TLS errors', async () => {
    const quick = env({ timeoutMs: 300, attempts: 1 });
    const session = await connect(provider('net', 'none', '/health'), {}, quick);
    assert.equal((await failure(session.request({ method: 'GET', path: '/slow' }))).code, 'CONNECTION_TIMEOUT');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    assert.equal((await failure((await connect('net', {})).request({ method: 'GET', path: '/slow', signal: controller.signal }))).code, 'CANCELLED');
    const closed = provider('refused', 'none', '/health', { baseUrl: `http://127.0.0.1:${await closedPort()}` });
    assert.equal((await failure((await connect(closed, {}, quick)).ping())).code, 'CONNECTION_REFUSED');
    const dns = provider('dns', 'none', '/health', { baseUrl: 'http://plugboard-no-such-host.invalid' });
    assert.equal((await failure((await connect(dns, {}, quick)).ping())).code, 'HOST_NOT_FOUND');
    const tls = await startSelfSignedHttps();
    try {
      const id = provider('tls', 'none', '/', { baseUrl: tls.url });
      assert.equal((await failure((await connect(id, {}, quick)).ping())).code, 'TLS_ERROR');
    } finally {
      await tls.close();
    }
  });

  it('spaces requests by the provider token bucket', async () => {
    const id = provider('limited', 'none', '/health', { rateLimits: { requestsPerMinute: 120, burst: 2 } });
    const session = await connect(id, {});
    const started = Date.now();
    await Promise.all([1, 2, 3, 4].map(() => session.request({ method: 'GET', path: '/health' })));
    const times = api.requests.filter((r) => r.path === '/health').slice(-4).map((r) => r.at - started);
    assert.ok(times[1]! < 250, `burst of 2 goes at once (${times.join(', ')})`);
    assert.ok(times[2]! >= 400 && times[3]! >= 900, `then one per 500 ms (${times.join(', ')})`);
  });

  it('fills {{variables}} from the profile and names a missing one', async () => {
    const port = new URL(api.url).port;
    // Variables fill the URL and auth settings alike; `header` falls back to its default.
    defs.set(
      'templated',
      parseProviderDefinition(
        {
          id: 'templated', name: 'Templated', category: 'test', version: '1.0.0', authType: 'api_key', baseUrl: 'http://{{host}}:{{port}}',
          variables: [{ name: 'host', label: 'Host' }, { name: 'port', label: 'Port' }, { name: 'header', label: 'Header', default: 'X-API-Key' }],
          auth: { apiKey: { location: 'header', keyName: '{{header}}' } },
          test: { endpoint: '/key-header/me' },
        },
        'templated',
      ),
    );
    const session = await connect('templated', { apiKey: SECRETS.apiKey }, env(), { host: '127.0.0.1', port });
    assert.equal((await session.ping()).status, 'ok');
    const err = await failure(connect('templated', { apiKey: SECRETS.apiKey }, env(), { host: '127.0.0.1' }));
    assert.match(err.message, /variable "port"/);
    assert.equal((await failure(connect('nobody', {}))).code, 'NOT_FOUND');
  });

  it('introspects declared endpoints into endpoint entities, one namespace per tag', async () => {
    const id = provider('declared', 'none', '/health', {
      endpoints: [
        { method: 'GET', path: '/pets/{petId}', operationId: 'getPet', tag: 'pets', parameters: [{ name: 'petId', in: 'path', schema: { type: 'integer' } }], responseSchema: { type: 'object', properties: { id: { type: 'integer' } } } },
        { method: 'GET', path: '/health', summary: 'Health' },
      ],
    });
    const session: Session = await connect(id, {});
    const model = await session.introspect({});
    assert.deepEqual(model.namespaces.map((n) => n.name).sort(), ['default', 'pets']);
    const pet = model.namespaces.find((n) => n.name === 'pets')!.entities[0]!;
    assert.equal(pet.kind, 'endpoint');
    assert.equal(pet.endpoint?.path, '/pets/{petId}');
    assert.deepEqual(pet.fields.map((f) => [f.name, f.type, f.nullable]), [['petId', 'integer', false]]);
    assert.equal(model.source.provider?.id, 'declared');
    assert.deepEqual((await session.introspect({ include: ['pets'] })).namespaces.map((n) => n.name), ['pets']);
  });
});
