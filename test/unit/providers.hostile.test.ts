/**
 * Issue 13: a provider definition arrives through a teammate's commit or an import, so it is untrusted input.
 * Items 1 (control characters in identifier-like fields), 3 (variable values rewriting baseUrl), 4 (secrets
 * detected by value, not only by field name) and 5 (a webhook timestamp that is not signed).
 */
import * as assert from 'node:assert/strict';
import { isPlugboardError, type PlugboardError } from '../../src/core/errors';
import { parseProviderDefinition, parseProviderJson, type ProviderDefinitionInput } from '../../src/core/model';
import { redactor } from '../../src/core/redact';
import { builtinTemplates, resolveDefinition } from '../../src/core/registry';
import { errorText } from '../support/httpSecrets';
import { codegenFor } from '../support/host';
import { buildEndpointModel, declaredEndpoints } from '../../src/backends/http/endpoints';
import { endpointsFromOpenApi } from '../../src/backends/http/openapi';
import { codeShape } from '../support/codeShape';
import { generate } from '../../src/core/codegen/generate';

function base(patch: Partial<ProviderDefinitionInput> = {}): ProviderDefinitionInput {
  return {
    id: 'acme', name: 'Acme', category: 'custom', version: '1.0.0', authType: 'api_key', baseUrl: 'https://api.acme.test/v1',
    auth: { apiKey: { location: 'header', keyName: 'X-API-Key' } }, test: { endpoint: '/me' }, ...patch,
  };
}

function refused(raw: unknown, field: string): PlugboardError {
  try {
    parseProviderDefinition(raw, 'x.json');
  } catch (err) {
    assert.ok(isPlugboardError(err), String(err));
    assert.equal(err.code, 'INVALID_CONFIG');
    assert.ok(err.message.startsWith(`x.json: ${field} `) || err.detail?.split('\n').some((l) => l.startsWith(`${field} `)), `expected a finding on ${field}, got: ${err.message}\n${err.detail ?? ''}`);
    return err;
  }
  assert.fail(`accepted a definition that should be refused at ${field}`);
}

function resolveRefused(def: ProviderDefinitionInput, values: Record<string, string>, field: string): PlugboardError {
  const parsed = parseProviderDefinition(def, 'x.json');
  try {
    resolveDefinition(parsed, values);
  } catch (err) {
    assert.ok(isPlugboardError(err), String(err));
    assert.equal(err.code, 'INVALID_CONFIG');
    assert.match(`${err.message}\n${err.detail ?? ''}`, new RegExp(field.replace(/[.[\]]/g, '\\$&')), err.message);
    return err;
  }
  assert.fail(`resolved with ${JSON.stringify(values)}`);
}

describe('providers: hostile definitions (issue 13)', () => {
  describe('item 1: control characters and line breaks in identifier-like fields', () => {
    const breaks = ['\r', '\n', '\u2028', '\u2029', '\u0085', '\u0000', '\u202e'];
    const fields: [string, (s: string) => ProviderDefinitionInput][] = [
      ['baseUrl', (s) => base({ baseUrl: `https://api.acme.test/v1${s}x` })],
      ['auth.apiKey.keyName', (s) => base({ auth: { apiKey: { location: 'header', keyName: `X-Key${s}x` } } })],
      ['auth.apiKey.keyName', (s) => base({ auth: { apiKey: { location: 'query', keyName: `key${s}x` } } })],
      ['auth.oauth2.clientId', (s) => base({ authType: 'oauth2', auth: { oauth2: { tokenUrl: 'https://id.acme.test/token', grantTypes: ['client_credentials'], clientId: `desk${s}x` } } })],
      ['auth.oauth2.audience', (s) => base({ authType: 'oauth2', auth: { oauth2: { tokenUrl: 'https://id.acme.test/token', grantTypes: ['client_credentials'], audience: `aud${s}x` } } })],
      ['name', (s) => base({ name: `Acme${s}x` })],
      ['test.endpoint', (s) => base({ test: { endpoint: `/me${s}x` } })],
      ['variables[0].default', (s) => base({ baseUrl: 'https://{{tenant}}.acme.test', variables: [{ name: 'tenant', label: 'Tenant', default: `t${s}x` }] })],
      ['endpoints[0].parameters[0].name', (s) => base({ endpoints: [{ method: 'GET', path: '/a', parameters: [{ name: `p${s}x`, in: 'query' }] }] })],
      ['endpoints[0].tag', (s) => base({ endpoints: [{ method: 'GET', path: '/a', tag: `t${s}x` }] })],
      ['endpoints[0].path', (s) => base({ endpoints: [{ method: 'GET', path: `/a${s}x` }] })],
    ];
    for (const [field, make] of fields) {
      it(`refuses them in ${field}`, () => {
        for (const s of breaks) refused(make(s), field);
      });
    }

    it('still allows line breaks in prose (description, summary)', () => {
      const def = parseProviderDefinition(base({ description: 'Line one.\nLine two.', endpoints: [{ method: 'GET', path: '/a', summary: 'Lists\r\nthings' }] }), 'x.json');
      assert.equal(def.description, 'Line one.\nLine two.');
    });

    it('refuses a control character that a variable value brings in', () => {
      const def = base({ auth: { apiKey: { location: 'header', keyName: '{{header}}' } }, variables: [{ name: 'header', label: 'Header' }] });
      resolveRefused(def, { header: 'X-Key\rpwned' }, 'auth.apiKey.keyName');
    });
  });

  describe('item 3: a variable fills only the URL part it stands in', () => {
    const tenant = base({ baseUrl: 'https://{{tenant}}.acme.test/v1/{{account}}/x?region={{region}}', variables: [{ name: 'tenant', label: 'T' }, { name: 'account', label: 'A' }, { name: 'region', label: 'R' }] });

    it('encodes a path segment and a query value, and accepts a host label', () => {
      const r = resolveDefinition(parseProviderDefinition(tenant, 'x.json'), { tenant: 'eu-1', account: 'a b/c?d#e', region: 'x&admin=1' });
      assert.equal(r.baseUrl, 'https://eu-1.acme.test/v1/a%20b%2Fc%3Fd%23e/x?region=x%26admin%3D1');
    });

    for (const value of ['evil.example/', 'evil.example#', 'evil.example?', 'user@evil.example', 'evil.example:8443', 'a b', '../']) {
      it(`refuses ${JSON.stringify(value)} for a host label`, () => {
        resolveRefused(tenant, { tenant: value, account: 'a', region: 'r' }, 'tenant');
      });
    }

    for (const value of ['..', '.', '%2e%2E', '../']) {
      it(`keeps ${JSON.stringify(value)} from climbing out of its path segment`, () => {
        let r;
        try {
          r = resolveDefinition(parseProviderDefinition(tenant, 'x.json'), { tenant: 't', account: value, region: 'r' });
        } catch (err) {
          assert.ok(isPlugboardError(err) && err.code === 'INVALID_CONFIG', String(err));
          return;
        }
        assert.ok(new URL(r.baseUrl!).pathname.startsWith('/v1/'), `${value} moved the path: ${r.baseUrl}`);
        assert.ok(!new URL(r.baseUrl!).pathname.startsWith('/v1/x'), `${value} removed its segment: ${r.baseUrl}`);
      });
    }

    it('refuses a value that would end a fixed origin or add a query', () => {
      const fixed = base({ baseUrl: 'https://api.acme.test{{suffix}}', variables: [{ name: 'suffix', label: 'S', required: false }] });
      for (const value of ['.evil.example', '@evil.example', ':1/x', '#', '?admin=1&']) {
        let r;
        try {
          r = resolveDefinition(parseProviderDefinition(fixed, 'x.json'), { suffix: value });
        } catch (err) {
          assert.ok(isPlugboardError(err) && err.code === 'INVALID_CONFIG', String(err));
          continue;
        }
        assert.equal(new URL(r.baseUrl!).origin, 'https://api.acme.test', `${value} changed the origin`);
        assert.equal(new URL(r.baseUrl!).search, '', `${value} added a query`);
      }
    });

    it('lets a whole-URL variable be any http(s) URL, but not one that swallows the rest of the template', () => {
      const whole = base({ baseUrl: '{{server}}/v2', variables: [{ name: 'server', label: 'Server' }] });
      assert.equal(resolveDefinition(parseProviderDefinition(whole, 'x.json'), { server: 'http://127.0.0.1:8080' }).baseUrl, 'http://127.0.0.1:8080/v2');
      for (const value of ['https://evil.example/?admin=1&', 'https://evil.example#', 'https://u:p@evil.example', 'javascript:alert(1)', 'evil.example']) {
        resolveRefused(whole, { server: value }, 'baseUrl');
      }
    });

    it('keeps the built-in templates working with ordinary values', () => {
      const t = builtinTemplates().find((x) => x.definition.id === 'rest-api-key-header')!.definition;
      const r = resolveDefinition(t, { baseUrl: 'https://api.example.com/v1', headerName: 'X-API-Key', testPath: '/me?verbose=1' });
      assert.equal(r.test?.endpoint, '/me?verbose=1');
      resolveRefused(t, { baseUrl: 'https://api.example.com', headerName: 'X-API-Key', testPath: '//evil.example/x' }, 'test.endpoint');
      resolveRefused(t, { baseUrl: 'https://api.example.com', headerName: 'X-API-Key', testPath: 'https://evil.example/x' }, 'test.endpoint');
    });
  });

  describe('item 4: secrets are found by their value, anywhere', () => {
    const stripe = `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`;
    const github = `ghp_${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'}`;
    const slack = `xoxb-${'123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'}`;
    const aws = `AKIA${'IOSFODNN7EXAMPLQ'}`;
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    const entropy = 'Zq8vN3xT1bLr7Kp2Wc9Hd4Fm6Yg0Js5QaE';
    const cases: [string, string, (v: string) => unknown][] = [
      ['a JSON Schema default', 'endpoints[0].requestSchema.properties.key.default', (v) => base({ endpoints: [{ method: 'POST', path: '/a', requestSchema: { type: 'object', properties: { key: { type: 'string', default: v } } } }] })],
      ['a JSON Schema example', 'endpoints[0].responseSchema.example.token', (v) => base({ endpoints: [{ method: 'GET', path: '/a', responseSchema: { type: 'object', example: { token: v } } }] })],
      ['keyPrefix', 'auth.apiKey.keyPrefix', (v) => base({ auth: { apiKey: { location: 'header', keyName: 'Authorization', keyPrefix: v.slice(0, 24) } } })],
      ['keyName', 'auth.apiKey.keyName', (v) => base({ auth: { apiKey: { location: 'query', keyName: v } } })],
      ['a variable default', 'variables[0].default', (v) => base({ baseUrl: 'https://{{tenant}}.acme.test', variables: [{ name: 'tenant', label: 'T', default: v }] })],
      ['the URL path', 'baseUrl', (v) => base({ baseUrl: `https://api.acme.test/bot${v}` })],
      ['a description', 'description', (v) => base({ description: `Use ${v} for testing` })],
      ['an unknown field', 'notes', (v) => ({ ...base(), notes: v })],
    ];
    for (const [where, field, make] of cases) {
      it(`in ${where}`, () => {
        for (const value of [stripe, github, slack, aws, jwt, entropy]) {
          if (field === 'auth.apiKey.keyPrefix' && value === entropy) continue; // 24 characters of noise is no prefix either, but the regex says so first
          const err = refused(make(value), field);
          assert.ok(!errorText(err).includes(value), 'the error echoes the secret');
          assert.ok(!errorText(err).includes(value.slice(0, 20)), 'the error echoes part of the secret');
          if (value.length >= 4) assert.ok(!redactor.redact(`log ${value}`).includes(value), 'the value was not registered for redaction');
        }
      });
    }

    for (const [url, field] of [
      ['https://api.acme.test/v1?private_token=glpat-abc', 'baseUrl'],
      ['https://api.acme.test/v1#access_token=abc', 'baseUrl'],
      ['https://api.acme.test/v1?x=1&auth_token=1', 'baseUrl'],
      ['https://api.acme.test/v1?X-Api-Key=1', 'baseUrl'],
    ] as const) {
      it(`in a token-named query or fragment parameter: ${url.replace(/^.*v1/, '')}`, () => {
        refused(base({ baseUrl: url }), field);
      });
    }

    it('in a variable named like a secret (stripe_api_key, githubToken)', () => {
      for (const name of ['stripe_api_key', 'githubToken', 'clientSecret', 'DB_PASSWORD', 'private_key']) {
        refused(base({ baseUrl: `https://api.acme.test/{{${name}}}`, variables: [{ name, label: 'X' }] }), 'variables[0].name');
      }
    });

    it('but not in names that only mention one (tokenUrl, apiKeyHeader, keyName) or in ordinary long words', () => {
      const def = base({
        baseUrl: 'https://{{tokenHost}}/{{apiKeyHeader}}',
        variables: [{ name: 'tokenHost', label: 'T' }, { name: 'apiKeyHeader', label: 'H' }],
        description: 'GetV1CustomersCustomerSubscriptionsSubscriptionExposedId and 3fa85f64-5717-4562-b3fc-2c963f66afa6 are fine',
        endpoints: [{ method: 'GET', path: '/customers/{customerId}/subscriptionItems', operationId: 'listCustomerSubscriptionItemsByCustomerId2024', parameters: [{ name: 'customerId', in: 'path' }] }],
      });
      assert.doesNotThrow(() => parseProviderDefinition(def, 'x.json'));
      for (const { definition } of builtinTemplates()) assert.ok(definition.id);
    });
  });

  describe('item 9: nesting depth is capped in validation, with an error naming the field', () => {
    const definitionText = (inner: string) =>
      `{"id":"deep","name":"Deep","category":"c","version":"1.0.0","authType":"none","baseUrl":"https://x.test","test":{"endpoint":"/"},${inner}}`;

    it('a 4 KB definition nested 2,000 deep is INVALID_CONFIG, not a RangeError', () => {
      const text = definitionText(`"extras":${'['.repeat(2000)}${']'.repeat(2000)}`);
      assert.ok(text.length > 4000 && text.length < 4300);
      const err = (() => {
        try {
          parseProviderJson(text, 'deep.json');
        } catch (e) {
          return e;
        }
        assert.fail('accepted');
      })();
      assert.ok(isPlugboardError(err) && err.code === 'INVALID_CONFIG', String(err));
      assert.match(err.message, /^deep\.json: extras\[0\]\[0\]\[0\]… is nested more than 64 levels deep/);
    });

    it('a request schema nested 1,000 deep is refused before codegen could overflow on it', () => {
      let schema: Record<string, unknown> = { type: 'string' };
      for (let i = 0; i < 1000; i++) schema = { type: 'object', properties: { a: schema } };
      refused(base({ endpoints: [{ method: 'POST', path: '/x', requestSchema: schema }] }), 'endpoints[0].requestSchema.properties…');
    });

    it('the deepest schema validation accepts renders with every REST target into code that parses', async () => {
      let schema: Record<string, unknown> = { type: 'string' };
      for (let i = 0; i < 19; i++) schema = { type: 'object', properties: { a: { type: 'array', items: schema } } };
      const def = parseProviderDefinition(base({ endpoints: [{ method: 'POST', path: '/x', requestSchema: schema, responseSchema: schema }] }), 'x.json');
      const result = await generate(buildEndpointModel(def, declaredEndpoints(def), {}), codegenFor('http', { profileName: 'x', targets: ['rest-client', 'ts-types', 'docs-markdown'] }));
      for (const f of result.files.filter((x) => x.path.endsWith('.ts'))) assert.deepEqual(codeShape(f.content).errors, [], f.path);
    });

    it('an OpenAPI document with a schema nested too deep is SCHEMA_ERROR naming the operation', () => {
      let schema: Record<string, unknown> = { type: 'string' };
      for (let i = 0; i < 1000; i++) schema = { type: 'array', items: schema };
      const api = { openapi: '3.0.0', info: {}, paths: { '/deep': { post: { requestBody: { content: { 'application/json': { schema } } }, responses: {} } } } };
      assert.throws(() => endpointsFromOpenApi(api), (err: unknown) => isPlugboardError(err) && err.code === 'SCHEMA_ERROR' && /POST \/deep|too deeply/.test(err.message));
    });
  });

  describe('item 5: a timestamp header that is not signed', () => {
    it('is refused: signedPayload "body" with a timestampHeader', () => {
      const err = refused(
        base({ authType: 'webhook', baseUrl: undefined, test: undefined, auth: { webhook: { signatureHeader: 'X-Sig', timestampHeader: 'X-Ts', signedPayload: 'body' } } }),
        'auth.webhook.signedPayload',
      );
      assert.match(err.message + (err.detail ?? ''), /replay/i);
    });

    it('gets no webhook-verify file claiming replay protection, even from a model that skipped validation', async () => {
      const def = parseProviderDefinition(base({ authType: 'webhook', baseUrl: undefined, test: undefined, auth: { webhook: { signatureHeader: 'X-Sig', timestampHeader: 'X-Ts' } } }), 'x.json');
      const unsigned = { ...def, auth: { webhook: { ...def.auth.webhook!, signedPayload: 'body' as const } } };
      await assert.rejects(generate(buildEndpointModel(unsigned, [], {}), codegenFor('http', { profileName: 'x', targets: ['webhook-verify'] })), (err: unknown) => isPlugboardError(err) && err.code === 'INVALID_CONFIG' && /replay/.test(err.message));
      const signed = await generate(buildEndpointModel(def, [], {}), codegenFor('http', { profileName: 'x', targets: ['webhook-verify'] }));
      assert.match(signed.files[0]!.content, /over "<timestamp>\.<raw body>"/);
    });

    it('is signed by default when only the header is given', () => {
      const def = parseProviderDefinition(base({ authType: 'webhook', baseUrl: undefined, test: undefined, auth: { webhook: { signatureHeader: 'X-Sig', timestampHeader: 'X-Ts' } } }), 'x.json');
      assert.equal(def.auth.webhook?.timestampHeader, 'X-Ts');
    });
  });
});
