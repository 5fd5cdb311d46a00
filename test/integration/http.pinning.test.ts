/**
 * Issue 13, item 2: credentials go to the origin of baseUrl and nowhere else — not to an absolute URL on
 * another host, not along a redirect to another origin (neither the Authorization header, nor a custom key
 * header, nor the key in the query), in Plugboard's own requests and in the generated client alike. Two real
 * HTTP servers on two ports: two origins.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectHttp, makeHttpEnvironment } from '../../src/backends/http/api';
import { isPlugboardError } from '../../src/core/errors';
import { parseProviderDefinition, type ConnectionProfile, type ProviderDefinition, type ProviderDefinitionInput, type Secret } from '../../src/core/model';
import { canaryValues, SECRETS } from '../support/httpSecrets';
import { compileStrict, generateRestClient } from '../support/httpTsc';

interface Recorder {
  url: string;
  seen: { url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

const REDIRECTS = [301, 302, 303, 307, 308];

/**
 * `/go/<status>/<where>`: redirects to `<where>` (`other`: the other server, `self`: this one's /whoami,
 * `echo`: the other server with this request's query copied along, as a careless server would).
 * `/whoami`: 200 when the request carries a credential of the test, else 401. Anything else: 200 `{}`.
 */
async function startRecorder(other: () => string): Promise<Recorder> {
  const seen: Recorder['seen'] = [];
  const secrets = canaryValues();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push({ url: req.url ?? '', headers: req.headers });
    const go = /^\/go\/(\d{3})\/(other|self|echo)$/.exec(url.pathname);
    if (go) {
      const where = go[2] === 'self' ? '/whoami' : go[2] === 'echo' ? `${other()}/landing${url.search}` : `${other()}/landing?keep=1`;
      res.writeHead(Number(go[1]), { location: where });
      res.end();
      return;
    }
    if (url.pathname === '/whoami') {
      const text = JSON.stringify(req.headers) + url.search;
      res.writeHead(secrets.some((s) => text.includes(s)) ? 200 : 401, { 'content-type': 'application/json' });
      res.end('{}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"landed":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** No canary value anywhere in what the other origin received: header values or URL. */
function assertNothingSecret(rec: Recorder, what: string): void {
  assert.ok(rec.seen.length > 0, `${what}: the other origin received nothing (the redirect was not followed)`);
  for (const { url, headers } of rec.seen) {
    const text = `${decodeURIComponent(url)}\n${JSON.stringify(headers)}`;
    for (const value of canaryValues()) assert.ok(!text.includes(value), `${what}: a credential reached the other origin`);
    assert.equal(headers.authorization, undefined, `${what}: Authorization reached the other origin`);
  }
}

const KINDS: { id: string; authType: ProviderDefinitionInput['authType']; auth: ProviderDefinitionInput['auth']; secret: Secret }[] = [
  { id: 'pin-header', authType: 'api_key', auth: { apiKey: { location: 'header', keyName: 'X-API-Key' } }, secret: { apiKey: SECRETS.apiKey } },
  { id: 'pin-query', authType: 'api_key', auth: { apiKey: { location: 'query', keyName: 'api_key' } }, secret: { apiKey: SECRETS.apiKey } },
  { id: 'pin-bearer', authType: 'bearer', auth: { bearer: { headerName: 'X-Token', prefix: 'Token ' } }, secret: { token: SECRETS.token } },
  { id: 'pin-basic', authType: 'basic', auth: { basic: {} }, secret: { username: SECRETS.username, password: SECRETS.password } },
];

describe('http: credentials are pinned to the origin of baseUrl (issue 13, item 2)', function () {
  this.timeout(120_000);
  let api: Recorder;
  let other: Recorder;
  const defs = new Map<string, ProviderDefinition>();

  before(async () => {
    other = await startRecorder(() => api.url);
    api = await startRecorder(() => other.url);
    for (const k of KINDS) {
      defs.set(k.id, parseProviderDefinition({ id: k.id, name: k.id, category: 'test', version: '1.0.0', authType: k.authType, auth: k.auth, baseUrl: api.url, test: { endpoint: '/whoami' } }, k.id));
    }
  });
  after(async () => {
    await Promise.all([api?.close(), other?.close()]);
  });
  beforeEach(() => {
    api.seen.length = 0;
    other.seen.length = 0;
  });

  const env = () => makeHttpEnvironment({ providers: { get: (id) => (defs.has(id) ? { definition: defs.get(id)! } : undefined) }, timeoutMs: 5_000, attempts: 1 });
  const profile = (id: string, variables?: Record<string, string>): ConnectionProfile => ({ id, name: id, kind: 'http', options: { provider: id, ...(variables ? { variables } : {}) } });

  for (const k of KINDS) {
    it(`${k.id}: a redirect to another origin arrives without any credential (${REDIRECTS.join(', ')})`, async () => {
      const session = await connectHttp(profile(k.id), k.secret, env());
      assert.equal((await session.ping()).status, 'ok', 'the credential works on its own origin');
      for (const status of REDIRECTS) {
        for (const where of ['other', 'echo']) {
          other.seen.length = 0;
          const res = await session.request({ method: 'GET', path: `/go/${status}/${where}` });
          assert.equal(res.status, 200);
          assertNothingSecret(other, `${k.id} ${status} to ${where}`);
        }
      }
    });

    it(`${k.id}: a redirect within the origin keeps the credential`, async () => {
      const session = await connectHttp(profile(k.id), k.secret, env());
      assert.equal((await session.request({ method: 'GET', path: '/go/302/self' })).status, 200);
    });

    it(`${k.id}: an absolute URL on another origin is refused before anything is sent`, async () => {
      const session = await connectHttp(profile(k.id), k.secret, env());
      await assert.rejects(session.request({ method: 'GET', path: `${other.url}/steal` }), (err: unknown) => isPlugboardError(err) && err.code === 'INVALID_CONFIG' && /origin/.test(err.message));
      assert.equal(other.seen.length, 0, 'the other origin was contacted');
    });
  }

  it('a test endpoint on another origin is refused, also when a variable supplies it', async () => {
    const input = (endpoint: string): ProviderDefinitionInput => ({ id: 'pin-test', name: 'pin-test', category: 'test', version: '1.0.0', authType: 'api_key', auth: { apiKey: { location: 'header', keyName: 'X-API-Key' } }, baseUrl: api.url, test: { endpoint } });
    assert.throws(() => parseProviderDefinition(input(`${other.url}/steal`), 'pin-test'), /test\.endpoint must be a path on baseUrl/);
    defs.set('pin-var', parseProviderDefinition({ ...input('{{testPath}}'), id: 'pin-var', variables: [{ name: 'testPath', label: 'Test path' }] }, 'pin-var'));
    await assert.rejects(connectHttp(profile('pin-var', { testPath: `${other.url}/steal` }), { apiKey: SECRETS.apiKey }, env()), /test\.endpoint/);
    assert.equal(other.seen.length, 0);
  });

  it('an OAuth2 token request that is redirected is not re-sent with the client secret', async () => {
    for (const method of ['client_secret_post', 'client_secret_basic'] as const) {
      const id = `pin-oauth-${method}`;
      defs.set(id, parseProviderDefinition({ id, name: id, category: 'test', version: '1.0.0', authType: 'oauth2', baseUrl: api.url, test: { endpoint: '/whoami' }, auth: { oauth2: { tokenUrl: `${api.url}/go/307/other`, grantTypes: ['client_credentials'], clientId: 'desk', clientAuthMethod: method } } }, id));
      other.seen.length = 0;
      await assert.rejects(connectHttp(profile(id), { clientSecret: SECRETS.clientSecret }, env()), (err: unknown) => isPlugboardError(err) && /redirect/.test(err.message));
      assert.equal(other.seen.length, 0, `${method}: the token request followed the redirect`);
    }
  });

  it('the generated client: no credential follows a redirect to another origin, and no URL leaves the base origin', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-pin-'));
    try {
      const files: string[] = [];
      for (const k of KINDS) files.push(await generateRestClient(defs.get(k.id)!, [{ method: 'GET', path: '/whoami', operationId: 'whoami', parameters: [] }], dir));
      const compiled = await compileStrict(dir, files);
      assert.equal(compiled.code, 0, compiled.output);
      const env: Record<string, string> = {};
      for (const k of KINDS) {
        const prefix = k.id.toUpperCase().replace(/-/g, '_');
        Object.assign(env, { [`${prefix}_API_KEY`]: SECRETS.apiKey, [`${prefix}_TOKEN`]: SECRETS.token, [`${prefix}_USERNAME`]: SECRETS.username, [`${prefix}_PASSWORD`]: SECRETS.password });
      }
      for (const [i, k] of KINDS.entries()) {
        const mod = require(path.join(dir, 'js', files[i]!.replace(/\.ts$/, '.js'))) as Record<string, new (o: object) => { whoami(): Promise<unknown>; call(m: string, p: string): Promise<unknown> }>;
        const Client = Object.values(mod).find((v) => typeof v === 'function' && /Client$/.test(v.name))!;
        const client = new Client({ env, attempts: 1 });
        await client.whoami();
        for (const status of REDIRECTS) {
          for (const where of ['other', 'echo']) {
            other.seen.length = 0;
            assert.deepEqual(await client.call('GET', `/go/${status}/${where}`), { landed: true });
            assertNothingSecret(other, `generated ${k.id} ${status} to ${where}`);
          }
        }
        await client.call('GET', '/go/302/self');
        other.seen.length = 0;
        const otherHost = other.url.replace(/^http:\/\//, '');
        await assert.rejects(client.call('GET', `@${otherHost}/steal`), /origin/);
        assert.equal(other.seen.length, 0, `generated ${k.id}: a path turned the request to another origin`);
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
