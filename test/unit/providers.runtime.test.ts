import * as assert from 'node:assert/strict';
import { secretFieldsFor } from '../../src/backends/http/auth';
import { errorForStatus, parseRetryAfter } from '../../src/backends/http/errors';
import { formatDuration, tokenStatus } from '../../src/backends/http/oauth/tokens';
import { createPkce } from '../../src/backends/http/oauth/pkce';
import { TokenBucket } from '../../src/backends/http/rateLimit';
import { JsonSchemaTs } from '../../src/core/codegen/jsonSchemaTs';
import { NameAllocator } from '../../src/core/codegen/naming';
import { envPrefix } from '../../src/backends/http/targets/restAuth';
import { ProviderRegistry, resolveDefinition } from '../../src/core/registry';
import { createHash } from 'node:crypto';

describe('providers: runtime helpers', () => {
  it('renders JSON Schema as TypeScript: refs, enums, nullable, unions, odd keys, additionalProperties', () => {
    const ts = new JsonSchemaTs(new NameAllocator(['Error']));
    const schema = {
      $ref: '#/$defs/Error',
      $defs: {
        Error: {
          type: 'object',
          required: ['code', 'content-type'],
          properties: {
            code: { type: 'integer' },
            'content-type': { type: 'string', enum: ['a', "it's"] },
            __proto__x: { type: ['string', 'null'] },
            legacy: { type: 'string', nullable: true },
            kind: { oneOf: [{ type: 'string' }, { type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'boolean' }] } }] },
            child: { $ref: '#/$defs/Error' },
            meta: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'number' } },
            free: { type: 'object', additionalProperties: true },
            closed: { type: 'object', additionalProperties: false },
            both: { allOf: [{ $ref: '#/$defs/Error' }, { type: 'object', properties: { extra: { const: 1 } } }] },
            nothing: {},
          },
        },
      },
    };
    ts.collect(schema);
    assert.equal(ts.typeOf(schema, ''), 'Error_2');
    const [decl] = ts.declarations();
    assert.equal(decl?.name, 'Error_2', 'a schema named like a global gets another name');
    const t = decl!.type;
    for (const line of [
      'code: number;',
      '"content-type": "a" | "it\'s";',
      '__proto__x?: string | null;',
      'legacy?: string | null;',
      'kind?: string | (number | boolean)[];',
      'child?: Error_2;',
      '[key: string]: number | string | undefined;',
      'free?: Record<string, unknown>;',
      'closed?: Record<string, never>;',
      'nothing?: unknown;',
    ]) {
      assert.ok(t.includes(line), `missing ${line} in\n${t}`);
    }
    assert.match(t, /both\?: Error_2 & \{\n\s+extra\?: 1;\n\s+\};/);
  });

  it('spaces requests with a token bucket and pauses it for Retry-After', async () => {
    let now = 0;
    const bucket = new TokenBucket(2, 60, () => now);
    assert.equal(bucket.waitTime(), 0);
    await bucket.take();
    await bucket.take();
    assert.equal(bucket.waitTime(), 1000, 'empty: one token per second at 60/min');
    now += 500;
    assert.equal(bucket.waitTime(), 500);
    now += 500;
    assert.equal(bucket.waitTime(), 0);
    bucket.pauseFor(3000);
    assert.equal(bucket.waitTime(), 3000);
    now += 10_000;
    assert.equal(bucket.waitTime(), 0);
    assert.equal(TokenBucket.for({ requestsPerMinute: 600 }).capacity, 60, 'default burst: a tenth of a minute');
  });

  it('parses Retry-After (seconds and dates) and maps statuses to codes', () => {
    assert.equal(parseRetryAfter('7'), 7000);
    assert.equal(parseRetryAfter(new Date(Date.now() + 5000).toUTCString(), Date.now()) !== undefined, true);
    assert.equal(parseRetryAfter('soon'), undefined);
    const e429 = errorForStatus(429, new Headers({ 'retry-after': '2' }), 'GET https://x.test/a');
    assert.deepEqual([e429.code, e429.retryAfterMs, e429.transient], ['QUOTA_EXCEEDED', 2000, true]);
    assert.equal(errorForStatus(401, new Headers(), 'GET x').code, 'AUTHENTICATION_FAILED');
    assert.equal(errorForStatus(403, new Headers(), 'GET x').code, 'AUTHENTICATION_FAILED');
    assert.equal(errorForStatus(503, new Headers(), 'GET x').code, 'SERVER_UNAVAILABLE');
    assert.equal(errorForStatus(422, new Headers(), 'GET x').code, 'INVALID_CONFIG');
  });

  it('describes token state for the tree', () => {
    const now = 1_000_000;
    assert.equal(tokenStatus(undefined, now).label, 'needs sign-in');
    assert.equal(tokenStatus({ access: 'a', scopes: [], tokenType: 'Bearer', expiresAt: now + 42 * 60_000 }, now).label, 'expires in 42 min');
    assert.equal(tokenStatus({ access: 'a', scopes: [], tokenType: 'Bearer', expiresAt: now + 30_000 }, now).state, 'expiring');
    assert.equal(tokenStatus({ access: 'a', refresh: 'r', scopes: [], tokenType: 'Bearer', expiresAt: now - 1 }, now).label, 'expired — refreshes on next use');
    assert.equal(tokenStatus({ access: 'a', scopes: [], tokenType: 'Bearer', expiresAt: now - 1 }, now).label, 'needs sign-in');
    assert.equal(formatDuration(3 * 3600_000 + 5 * 60_000), '3 h 5 min');
    assert.equal(formatDuration(5 * 86400_000), '5 days');
  });

  it('makes RFC 7636 S256 challenges', () => {
    const p = createPkce();
    assert.match(p.verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(p.challenge, createHash('sha256').update(p.verifier).digest('base64url'));
  });

  it('asks for the secrets each kind of provider needs, and names environment variables after the provider', () => {
    const registry = new ProviderRegistry();
    const ask = (id: string, values: Record<string, string> = { baseUrl: 'https://x.test' }) =>
      secretFieldsFor(resolveDefinition(registry.require(id).definition, values)).map((f) => f.field);
    assert.deepEqual(ask('rest-api-key-header'), ['apiKey']);
    assert.deepEqual(ask('rest-api-bearer'), ['token']);
    assert.deepEqual(ask('basic-auth'), ['username', 'password']);
    assert.deepEqual(ask('oauth2-client-credentials', { baseUrl: 'https://x.test', tokenUrl: 'https://x.test/t', clientId: 'c' }), ['clientSecret']);
    assert.deepEqual(ask('oauth2-authorization-code', { baseUrl: 'https://x.test', authUrl: 'https://x.test/a', tokenUrl: 'https://x.test/t', clientId: 'c' }), [], 'a public PKCE client has no secret');
    assert.deepEqual(ask('webhook-hmac', {}), ['webhookSecret']);
    assert.equal(envPrefix({ id: 'my-api.v2' }), 'MY_API_V2');
    assert.equal(envPrefix({ id: '42-things' }), 'API_42_THINGS');
  });
});
