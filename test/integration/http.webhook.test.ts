import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectHttp } from '../../src/backends/http/api';
import { CATALOG, codegenFor } from '../support/host';
import { buildEndpointModel } from '../../src/backends/http/endpoints';
import { makeHttpEnvironment } from '../../src/backends/http/environment';
import { sendTestWebhook, signWebhook, verifyWebhook } from '../../src/backends/http/webhook';
import { defaultTargets, generate } from '../../src/core/codegen/generate';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import { isPlugboardError } from '../../src/core/errors';
import { parseProviderDefinition, type ProviderDefinition, type WebhookAuth } from '../../src/core/model';
import { ProviderRegistry, resolveDefinition } from '../../src/core/registry';
import { assertNoSecrets, assertTreeClean, errorText, SECRETS } from '../support/httpSecrets';
import { compileStrict } from '../support/httpTsc';

type Verify = (body: string | Uint8Array, headers: object, options?: object) => { ok: boolean; reason?: string };
interface VerifierModule {
  verifyWebhook: Verify;
  computeSignature(body: string, secret: string, timestamp?: string): string;
  SIGNATURE_HEADER: string;
  SECRET_ENV: string;
}

describe('http webhooks: generated verifier and signed test events', function () {
  this.timeout(60_000);
  let root: string;
  let hmac: ProviderDefinition;
  let sha512: ProviderDefinition;
  const mods: Record<string, VerifierModule> = {};
  const now = () => Math.floor(Date.now() / 1000);

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-webhook-'));
    const registry = new ProviderRegistry();
    hmac = resolveDefinition(registry.require('webhook-hmac').definition, {});
    sha512 = parseProviderDefinition(
      { id: 'acme-hooks', name: 'Acme hooks', category: 'test', version: '1.0.0', authType: 'webhook', auth: { webhook: { signatureHeader: 'Acme-Signature', algorithm: 'hmac-sha512', encoding: 'base64' } } },
      'acme-hooks',
    );
    // The editor flow: a connection to the webhook provider, introspect (nothing to call), generate, compile.
    const env = makeHttpEnvironment({ providers: registry });
    const session = await connectHttp({ id: 'hooks', name: 'hooks', kind: 'http', options: { provider: 'webhook-hmac' } }, { webhookSecret: SECRETS.webhookSecret }, env);
    assert.equal((await session.ping()).status, 'unknown');
    const models = { hmac: await session.introspect({}), sha512: buildEndpointModel(sha512, [], {}) };
    assert.deepEqual(defaultTargets(CATALOG.get('http').targets), ['rest-client'], 'webhook-verify is opt-in');
    const out = path.join(root, 'gen');
    const files: string[] = [];
    for (const [name, model] of Object.entries(models)) {
      const result = await generate(model, codegenFor('http', { profileName: name, targets: ['webhook-verify'] }));
      await writeGeneratedFiles(path.join(out, name), result.files);
      files.push(path.join(name, result.files[0]!.path));
    }
    const compiled = await compileStrict(out, files);
    assert.equal(compiled.code, 0, compiled.output);
    mods.hmac = require(path.join(out, 'js', 'hmac', 'webhook-hmac.webhook.js')) as VerifierModule;
    mods.sha512 = require(path.join(out, 'js', 'sha512', 'acme-hooks.webhook.js')) as VerifierModule;
  });
  after(async () => {
    try {
      await assertTreeClean(root);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  const cfg = (d: ProviderDefinition): WebhookAuth => d.auth.webhook!;
  const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', amount: 4200 });

  it('accepts a valid signature (string or bytes) and names why others fail', () => {
    const v = mods.hmac!.verifyWebhook;
    const secret = { secret: SECRETS.webhookSecret };
    const headers = signWebhook(cfg(hmac), SECRETS.webhookSecret, body, now());
    assert.match(headers['x-signature']!, /^sha256=[0-9a-f]{64}$/);
    assert.deepEqual(v(body, headers, secret).ok, true);
    assert.equal(v(new TextEncoder().encode(body), headers, secret).ok, true);
    assert.equal(v(body.replace('4200', '4201'), headers, secret).reason, 'mismatch', 'tampered body');
    assert.equal(v(body, headers, { secret: `${SECRETS.webhookSecret}x` }).reason, 'mismatch', 'wrong secret');
    const stale = signWebhook(cfg(hmac), SECRETS.webhookSecret, body, now() - 301);
    assert.equal(v(body, stale, secret).reason, 'stale', 'a replay older than the tolerance');
    assert.equal(v(body, signWebhook(cfg(hmac), SECRETS.webhookSecret, body, now() + 3600), secret).reason, 'stale', 'from the future');
    assert.equal(v(body, { ...headers, 'x-timestamp': String(now() - 10) }, secret).reason, 'mismatch', 'the timestamp is signed too');
    assert.equal(v(body, { 'x-timestamp': headers['x-timestamp'] }, secret).reason, 'missing-signature');
    assert.equal(v(body, { 'x-signature': headers['x-signature'] }, secret).reason, 'missing-timestamp');
    assert.equal(v(body, { ...headers, 'x-timestamp': 'yesterday' }, secret).reason, 'bad-timestamp');
    assert.equal(v(body, headers, {}).reason, 'no-secret');
    assert.equal(v(body, { ...headers, 'x-signature': `sha256=${'0'.repeat(64)}, ${headers['x-signature']}` }, secret).ok, true, 'any of several signatures (rotation)');
    assert.equal(v(body, new Headers(headers), secret).ok, true, 'a Fetch Headers object works too');
  });

  it('follows the provider settings: sha512, base64, no timestamp', () => {
    const v = mods.sha512!.verifyWebhook;
    const headers = signWebhook(cfg(sha512), SECRETS.webhookSecret, body, now());
    assert.match(headers['acme-signature']!, /^[A-Za-z0-9+/]{86}==$/);
    assert.equal(v(body, headers, { secret: SECRETS.webhookSecret }).ok, true);
    assert.equal(v(`${body} `, headers, { secret: SECRETS.webhookSecret }).reason, 'mismatch');
    assert.equal(mods.sha512!.computeSignature(body, SECRETS.webhookSecret), headers['acme-signature']);
    assert.equal(verifyWebhook(cfg(sha512), SECRETS.webhookSecret, body, headers).ok, true, 'Plugboard and the generated code agree');
  });

  it('sends a correctly signed test event to a local endpoint, which the generated verifier accepts', async () => {
    const received: { ok: boolean; reason?: string }[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const result = mods.hmac!.verifyWebhook(Buffer.concat(chunks), req.headers, { secret: SECRETS.webhookSecret });
        received.push(result);
        res.writeHead(result.ok ? 204 : 401).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://localhost:${(server.address() as { port: number }).port}/webhooks`;
    try {
      const sent = await sendTestWebhook({ definition: hmac, secret: SECRETS.webhookSecret, url, event: 'invoice.paid' });
      assert.deepEqual([sent.status, sent.ok], [204, true]);
      assert.deepEqual(sent.headers.sort(), ['content-type', 'x-signature', 'x-timestamp']);
      const refused = await sendTestWebhook({ definition: hmac, secret: 'not-the-secret', url });
      assert.equal(refused.status, 401);
      assert.deepEqual(received.map((r) => r.ok), [true, false]);
      await assert.rejects(sendTestWebhook({ definition: hmac, secret: SECRETS.webhookSecret, url: 'https://hooks.example.com/x' }), (err: unknown) => {
        assert.ok(isPlugboardError(err));
        assert.match(err.message, /this machine only/);
        assertNoSecrets(errorText(err), 'a webhook error');
        return true;
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses webhook-verify for a provider that does not sign webhooks', async () => {
    const def = parseProviderDefinition({ id: 'plain', name: 'Plain', category: 'test', version: '1.0.0', authType: 'none', baseUrl: 'https://plain.test', endpoints: [{ method: 'GET', path: '/x' }] }, 'plain');
    await assert.rejects(generate(buildEndpointModel(def, [], {}), codegenFor('http', { profileName: 'plain', targets: ['webhook-verify'] })), /does not sign webhooks/);
  });
});
