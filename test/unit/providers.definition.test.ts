import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isPlugboardError, PlugboardError } from '../../src/core/errors';
import { parseProviderDefinition, parseProviderJson, providerSource } from '../../src/core/model';
import { redactor } from '../../src/core/redact';
import { builtinTemplates, instantiateTemplate, resolveDefinition, TEMPLATE_IDS } from '../../src/core/registry';
import { assertNoSecrets, errorText, FIXTURE_CANARY, REPO } from '../support/httpSecrets';

const BAD = path.join(REPO, 'test', 'fixtures', 'providers', 'bad');
const GOOD = path.join(REPO, 'test', 'fixtures', 'providers', 'good');

function fails(fn: () => unknown): PlugboardError {
  try {
    fn();
  } catch (err) {
    assert.ok(isPlugboardError(err), `expected a PlugboardError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

describe('providers: definitions', () => {
  it('parses the good fixtures and applies defaults', async () => {
    for (const name of await fs.readdir(GOOD)) {
      const def = parseProviderJson(await fs.readFile(path.join(GOOD, name), 'utf8'), name);
      assert.ok(def.id.startsWith('acme'));
      assert.ok(Array.isArray(def.variables));
    }
    const oauth = parseProviderJson(await fs.readFile(path.join(GOOD, 'acme-oauth.json'), 'utf8'), 'acme-oauth.json');
    assert.equal(oauth.auth.oauth2?.pkce, true);
    assert.deepEqual(oauth.auth.oauth2?.grantTypes, ['authorization_code']);
    const hooks = parseProviderJson(await fs.readFile(path.join(GOOD, 'acme-hooks.json'), 'utf8'), 'acme-hooks.json');
    assert.equal(hooks.baseUrl, undefined, 'a webhook-only provider needs no base URL');
    assert.equal(hooks.auth.webhook?.toleranceSeconds, 300);
  });

  it('has a corpus of at least 30 malformed definitions, each refused with an error naming its field', async () => {
    const files = (await fs.readdir(BAD)).filter((f) => f.endsWith('.json')).sort();
    assert.ok(files.length >= 30, `only ${files.length} malformed fixtures`);
    for (const file of files) {
      const field = /^\d+-(.+)\.json$/.exec(file)?.[1];
      assert.ok(field, `fixture ${file} does not name its field`);
      const text = await fs.readFile(path.join(BAD, file), 'utf8');
      const err = fails(() => parseProviderJson(text, file));
      assert.equal(err.code, 'INVALID_CONFIG', file);
      assert.ok(err.message.startsWith(`${file}: `), `${file}: message does not name the file: ${err.message}`);
      assert.ok(err.message.includes(field), `${file}: message does not name ${field}: ${err.message}`);
      assertNoSecrets(errorText(err), `the error for ${file}`);
    }
  });

  it('refuses secret values anywhere outside JSON Schemas, and registers them for redaction', () => {
    const value = `sk_live_${Date.now()}_hidden`;
    const err = fails(() =>
      parseProviderDefinition({ id: 'x', name: 'X', category: 'c', version: '1.0.0', authType: 'none', baseUrl: 'https://x.test', test: { endpoint: '/' }, auth: {}, extras: { nested: [{ client_secret: value }] } }, 'x.json'),
    );
    assert.match(err.message, /extras\.nested\[0\]\.client_secret looks like a secret/);
    assert.ok(!errorText(err).includes(value));
    assert.equal(redactor.redact(`log line with ${value}`), 'log line with •••');
    // Property names in a payload schema are data, not secrets.
    const ok = parseProviderDefinition(
      {
        id: 'y', name: 'Y', category: 'c', version: '1.0.0', authType: 'none', baseUrl: 'https://y.test',
        endpoints: [{ method: 'POST', path: '/login', requestSchema: { type: 'object', properties: { password: { type: 'string' }, token: { type: 'string' } } } }],
      },
      'y.json',
    );
    assert.equal(ok.endpoints?.[0]?.path, '/login');
  });

  it('never echoes the value of a field in its error, even for JSON syntax errors', () => {
    const text = `{ "id": "acme", "note": "${FIXTURE_CANARY}" , }`;
    const err = fails(() => parseProviderJson(text, 'broken.json'));
    assert.match(err.message, /broken\.json: \(root\) is not valid JSON at line 1, column \d+/);
    assertNoSecrets(errorText(err), 'a JSON syntax error');
  });

  it('reports every finding in detail, the first in the message', () => {
    const err = fails(() => parseProviderDefinition({ id: 'Bad!', name: '', category: 'c', version: 'x', authType: 'none', baseUrl: 'https://x.test' }, 'multi.json'));
    assert.match(err.message, /\(and \d+ more\)/);
    for (const f of ['id', 'name', 'version']) assert.ok(err.detail?.split('\n').some((l) => l.startsWith(`${f} `)), `detail lacks ${f}`);
  });

  it('ships seven built-in templates that validate and declare every variable they use', () => {
    assert.deepEqual([...TEMPLATE_IDS].sort(), ['basic-auth', 'oauth2-authorization-code', 'oauth2-client-credentials', 'rest-api-bearer', 'rest-api-key-header', 'rest-api-key-query', 'webhook-hmac']);
    for (const { definition } of builtinTemplates()) assert.ok(definition.variables.length > 0, definition.id);
  });

  it('resolves a template with profile variables: optional blanks dropped, scopes split, bad values named', () => {
    const t = builtinTemplates().find((x) => x.definition.id === 'oauth2-authorization-code')!.definition;
    const values = { baseUrl: 'https://api.x.test', authUrl: 'https://id.x.test/authorize', tokenUrl: 'https://id.x.test/token', clientId: 'desk', scopes: 'read  write' };
    const r = resolveDefinition(t, values);
    assert.deepEqual(r.auth.oauth2?.scopes, ['read', 'write']);
    assert.equal(r.auth.oauth2?.revocationUrl, undefined);
    assert.equal(r.test?.endpoint, '/');
    const missing = fails(() => resolveDefinition(t, { ...values, clientId: '' }));
    assert.match(missing.message, /variable "clientId"/);
    const bad = fails(() => resolveDefinition(t, { ...values, tokenUrl: 'token please' }));
    assert.match(bad.message, /auth\.oauth2\.tokenUrl must be an http\(s\) URL/);
  });

  it('instantiates a template into a concrete, shareable definition', () => {
    const t = builtinTemplates().find((x) => x.definition.id === 'rest-api-key-query')!.definition;
    const def = instantiateTemplate(t, { id: 'weather', name: 'Weather', category: 'data', values: { baseUrl: 'https://api.weather.test', paramName: 'appid', testPath: '/status' } });
    assert.equal(def.baseUrl, 'https://api.weather.test');
    assert.equal(def.auth.apiKey?.keyName, 'appid');
    assert.equal(def.test?.endpoint, '/status');
    assert.deepEqual(def.variables, []);
    // Variables not given stay variables of the new definition.
    const partial = instantiateTemplate(t, { id: 'weather2', name: 'Weather 2', values: { paramName: 'appid' } });
    assert.deepEqual(partial.variables.map((v) => v.name), ['baseUrl', 'testPath']);
    assert.equal(partial.baseUrl, '{{baseUrl}}');
  });

  it('puts only non-secret provider settings into the schema model source', () => {
    const t = builtinTemplates().find((x) => x.definition.id === 'basic-auth')!.definition;
    const src = providerSource(resolveDefinition(t, { baseUrl: 'https://b.test' }));
    assert.deepEqual(Object.keys(src).sort(), ['auth', 'authType', 'baseUrl', 'id', 'name', 'rateLimits', 'variables', 'version']);
  });
});
