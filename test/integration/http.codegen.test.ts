import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectHttp } from '../../src/backends/http/api';
import { codegenFor } from '../support/host';
import { endpointsFromOpenApi, loadOpenApi } from '../../src/backends/http/openapi';
import { buildEndpointModel } from '../../src/backends/http/endpoints';
import { makeHttpEnvironment } from '../../src/backends/http/environment';
import { generate } from '../../src/core/codegen/generate';
import { parseHeader } from '../../src/core/codegen/header';
import { writeGeneratedFiles } from '../../src/core/codegen/writer';
import { checkDrift } from '../../src/core/introspect/drift';
import { parseProviderDefinition, type SchemaModel } from '../../src/core/model';
import { ProviderRegistry, WORKSPACE_PROVIDERS_DIR } from '../../src/core/registry';
import { startLocalApi, type LocalApi } from '../support/httpApi';
import { assertTreeClean, REPO, SECRETS } from '../support/httpSecrets';
import { compileStrict, generateRestClient } from '../support/httpTsc';

const EXAMPLES = path.join(REPO, 'node_modules', '@readme', 'oas-examples');

/** What the compiled client module exports, as far as these tests use it. */
interface PetstoreModule {
  PetstoreClient: new (options?: object) => Record<string, (args?: object) => Promise<unknown>>;
  ApiError: new (...args: unknown[]) => Error & { status: number };
}

describe('http codegen: rest-client from the Petstore, compiled strict and run', function () {
  this.timeout(120_000);
  let api: LocalApi;
  let root: string;
  let model: SchemaModel;

  before(async () => {
    api = await startLocalApi(SECRETS);
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'plugboard-restgen-'));
    // A definition shared in the workspace, pointing at the OpenAPI document next to it (a relative path).
    const dir = path.join(root, WORKSPACE_PROVIDERS_DIR);
    await fs.mkdir(dir, { recursive: true });
    await fs.copyFile(path.join(EXAMPLES, '3.0', 'json', 'petstore.json'), path.join(dir, 'petstore.openapi.json'));
    const definition = {
      id: 'petstore', name: 'Petstore', category: 'demo', version: '1.0.0', authType: 'api_key', baseUrl: '{{server}}/v2',
      variables: [{ name: 'server', label: 'Server' }],
      auth: { apiKey: { location: 'header', keyName: 'api_key' } },
      test: { endpoint: '/pet/1' }, rateLimits: { requestsPerMinute: 6000, burst: 50 }, openapi: './petstore.openapi.json',
    };
    await fs.writeFile(path.join(dir, 'petstore.json'), JSON.stringify(definition, null, 2));
  });
  after(async () => {
    await api.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('introspects the Petstore through swagger-parser: endpoints per tag, $ref schemas kept by name', async () => {
    const registry = new ProviderRegistry({ workspaceRoot: root });
    await registry.load();
    assert.deepEqual(registry.problems(), []);
    const env = makeHttpEnvironment({ providers: registry });
    const session = await connectHttp({ id: 'pets', name: 'pets', kind: 'http', options: { provider: 'petstore', variables: { server: api.url } } }, { apiKey: SECRETS.apiKey }, env);
    assert.equal((await session.ping()).status, 'ok');
    model = await session.introspect({});
    assert.deepEqual(model.namespaces.map((n) => n.name).sort(), ['pet', 'store', 'user']);
    const get = model.namespaces.find((n) => n.name === 'pet')!.entities.find((e) => e.name === 'getPetById')!;
    assert.equal(get.kind, 'endpoint');
    assert.deepEqual([get.endpoint?.method, get.endpoint?.path], ['GET', '/pet/{petId}']);
    const response = get.endpoint?.responseSchema as { $ref: string; $defs: Record<string, unknown> };
    assert.equal(response.$ref, '#/$defs/Pet');
    assert.deepEqual(Object.keys(response.$defs).sort(), ['Category', 'Pet', 'Tag']);
    assert.equal(model.source.serverVersion, '1.0.0');
    assert.equal(model.source.provider?.baseUrl, `${api.url}/v2`);
    JSON.stringify(model); // serialisable: no cycles left by the dereferencer
  });

  it('generates a client that compiles under tsc --strict (and stricter) and works against the local API', async () => {
    const out = path.join(root, 'src', 'generated');
    const result = await generate(model, codegenFor('http', { profileName: 'pets', targets: ['rest-client'] }));
    await writeGeneratedFiles(out, result.files);
    const client = await fs.readFile(path.join(out, 'petstore.client.ts'), 'utf8');
    assert.equal(parseHeader(client)?.target, 'rest-client');
    assert.match(client, /PETSTORE_API_KEY +API key, sent in header "api_key" \(required\)/);
    assert.match(client, /export type Pet = \{/);
    assert.match(client, /status\?: "available" \| "pending" \| "sold";/);
    const usage = [
      "import { PetstoreClient, type Pet } from './petstore.client';",
      'export async function names(c: PetstoreClient): Promise<string[]> {',
      "  const pets: Pet[] = await c.findPetsByStatus({ query: { status: ['available'] } });",
      '  const one = await c.getPetById({ path: { petId: 1 } });',
      '  return [...pets.map((p) => p.name), one.name];',
      '}',
    ].join('\n');
    await fs.writeFile(path.join(out, 'usage.ts'), usage);
    const compiled = await compileStrict(out, ['petstore.client.ts', 'usage.ts']);
    assert.equal(compiled.code, 0, compiled.output);
    // The types are real: a string where the Petstore says integer does not compile.
    await fs.writeFile(path.join(out, 'wrong.ts'), "import { PetstoreClient } from './petstore.client';\nexport const p = new PetstoreClient().getPetById({ path: { petId: 'one' } });\n");
    const wrong = await compileStrict(out, ['wrong.ts'], { emit: false });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.output, /wrong\.ts.*Type 'string' is not assignable to type 'number'/s);

    const mod = require(path.join(out, 'js', 'petstore.client.js')) as PetstoreModule;
    const c = new mod.PetstoreClient({ env: { PETSTORE_API_KEY: SECRETS.apiKey, PETSTORE_BASE_URL: `${api.url}/v2` } });
    const created = (await c.addPet!({ body: { name: 'Fido', photoUrls: [], status: 'pending' } })) as { id: number };
    assert.equal(((await c.getPetById!({ path: { petId: created.id } })) as { name: string }).name, 'Fido');
    assert.deepEqual(((await c.findPetsByStatus!({ query: { status: ['pending'] } })) as { name: string }[]).map((p) => p.name), ['Fido']);
    await c.deletePet!({ path: { petId: created.id } });
    await assert.rejects(c.getPetById!({ path: { petId: created.id } }), (err: Error & { status?: number }) => err instanceof mod.ApiError && err.status === 404);
    const usageMod = require(path.join(out, 'js', 'usage.js')) as { names(c: object): Promise<string[]> };
    assert.deepEqual(await usageMod.names(c), ['Rex', 'Rex']);
    // Auth comes only from the environment: without it, the client says which variable is missing.
    const anonymous = new mod.PetstoreClient({ env: { PETSTORE_BASE_URL: `${api.url}/v2` } });
    await assert.rejects(anonymous.getPetById!({ path: { petId: 1 } }), /PETSTORE_API_KEY is not set/);
    const wrongKey = new mod.PetstoreClient({ env: { PETSTORE_API_KEY: 'nope', PETSTORE_BASE_URL: `${api.url}/v2` } });
    await assert.rejects(wrongKey.getPetById!({ path: { petId: 1 } }), (err: Error & { status?: number; message: string }) => err.status === 401 && !err.message.includes('nope'));
    await fs.rm(path.join(out, 'wrong.ts'));
    await assertTreeClean(root);
  });

  it('feeds the drift check (CodeLens): same document, same fingerprint; a changed document is stale', async () => {
    const out = path.join(root, 'src', 'generated');
    const registry = new ProviderRegistry({ workspaceRoot: root });
    await registry.load();
    const connect = () => connectHttp({ id: 'pets', name: 'pets', kind: 'http', options: { provider: 'petstore', variables: { server: api.url } } }, { apiKey: SECRETS.apiKey }, makeHttpEnvironment({ providers: registry }));
    assert.equal((await checkDrift(out, await (await connect()).introspect({}))).stale, false);
    const docFile = path.join(root, WORKSPACE_PROVIDERS_DIR, 'petstore.openapi.json');
    const doc = JSON.parse(await fs.readFile(docFile, 'utf8')) as { paths: Record<string, unknown> };
    doc.paths['/pet/{petId}/vaccinations'] = { get: { operationId: 'listVaccinations', tags: ['pet'], parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'ok' } } } };
    await fs.writeFile(docFile, JSON.stringify(doc));
    const drift = await checkDrift(out, await (await connect()).introspect({}));
    assert.equal(drift.stale, true);
    assert.ok(drift.changes.some((c) => JSON.stringify(c).includes('listVaccinations')), JSON.stringify(drift.changes));
  });

  it('retries 429 with Retry-After and 503 with backoff, and rate limits, in the generated runtime', async () => {
    const out = path.join(root, 'src', 'generated');
    const mod = require(path.join(out, 'js', 'petstore.client.js')) as { PetstoreClient: new (o: object) => { call(m: string, p: string, a?: object): Promise<unknown> } };
    const c = new mod.PetstoreClient({ env: { PETSTORE_API_KEY: SECRETS.apiKey }, baseUrl: api.url, rateLimit: { requestsPerMinute: 120, burst: 1 } });
    const started = Date.now();
    assert.deepEqual(await c.call('GET', '/limited'), { ok: true });
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
    assert.deepEqual(await c.call('GET', '/flaky'), { ok: true });
    assert.equal(api.count('/flaky'), 3);
    await assert.rejects(c.call('GET', '/limited-long'), (err: Error & { status?: number; retryAfterMs?: number }) => err.status === 429 && err.retryAfterMs === 3_600_000);
  });

  it('injects every kind of auth from the environment (header key, query key, bearer, basic) and runs each', async () => {
    const out = path.join(root, 'auth-kinds');
    const me = (p: string) => [{ method: 'GET', path: p, operationId: 'me', parameters: [], responseSchema: { type: 'object', properties: { who: { type: 'string' } }, required: ['who'] } }];
    const kinds = [
      { id: 'k-header', authType: 'api_key', auth: { apiKey: { location: 'header', keyName: 'X-API-Key' } }, path: '/key-header/me', env: { K_HEADER_API_KEY: SECRETS.apiKey } },
      { id: 'k-query', authType: 'api_key', auth: { apiKey: { location: 'query', keyName: 'api_key' } }, path: '/key-query/me', env: { K_QUERY_API_KEY: SECRETS.apiKey } },
      { id: 'k-bearer', authType: 'bearer', auth: {}, path: '/bearer/me', env: { K_BEARER_TOKEN: SECRETS.token } },
      { id: 'k-basic', authType: 'basic', auth: { basic: {} }, path: '/basic/me', env: { K_BASIC_USERNAME: SECRETS.username, K_BASIC_PASSWORD: SECRETS.password } },
    ] as const;
    const files: string[] = [];
    for (const k of kinds) {
      const def = parseProviderDefinition({ id: k.id, name: k.id, category: 'test', version: '1.0.0', authType: k.authType, baseUrl: api.url, auth: k.auth, test: { endpoint: k.path } }, k.id);
      files.push(await generateRestClient(def, me(k.path), out));
    }
    const compiled = await compileStrict(out, files);
    assert.equal(compiled.code, 0, compiled.output);
    for (const [i, k] of kinds.entries()) {
      const mod = require(path.join(out, 'js', files[i]!.replace(/\.ts$/, '.js'))) as Record<string, new (o: object) => { me(): Promise<{ who: string }> }>;
      const Client = Object.values(mod).find((v) => typeof v === 'function' && /Client$/.test(v.name))!;
      assert.ok((await new Client({ env: k.env }).me()).who, k.id);
      await assert.rejects(new Client({ env: {} }).me(), /is not set/);
    }
    await assertTreeClean(out);
  });

  it('generates compiling clients for every OpenAPI example shipped in @readme/oas-examples (3.0 and 3.1)', async () => {
    const out = path.join(root, 'examples');
    const files: string[] = [];
    for (const version of ['3.0', '3.1']) {
      const dir = path.join(EXAMPLES, version, 'json');
      for (const name of (await fs.readdir(dir)).filter((f) => f.endsWith('.json'))) {
        const id = `v${version.replace('.', '')}-${name.replace(/\.json$/, '')}`.toLowerCase();
        const api = await loadOpenApi(path.join(dir, name));
        const def = parseProviderDefinition({ id, name: id, category: 'examples', version: '1.0.0', authType: 'bearer', baseUrl: 'http://127.0.0.1:9', openapi: name }, id);
        const m = buildEndpointModel(def, endpointsFromOpenApi(api), {}, api.info.version);
        const generated = await generate(m, codegenFor('http', { profileName: id, targets: ['rest-client'] }));
        await writeGeneratedFiles(out, generated.files.filter((f) => f.target === 'rest-client'));
        files.push(generated.files[0]!.path);
      }
    }
    assert.ok(files.length >= 40, `${files.length} examples`);
    const compiled = await compileStrict(out, files, { emit: false });
    assert.equal(compiled.code, 0, compiled.output.slice(0, 4000));
  });
});
