/**
 * The backend conformance suite for REST: a local API behind a provider definition with an API key (the
 * canary) and declared endpoints.
 */
import { parseProviderDefinition, type ConnectionProfile, type ProviderDefinition } from '../../src/core/model';
import { describeConformance } from '../support/conformance';
import { startLocalApi, type LocalApi } from '../support/httpApi';
import { SECRETS } from '../support/httpSecrets';
import { freePort, startBlackHole } from '../support/net';

let api: LocalApi | undefined;
const definitions = new Map<string, ProviderDefinition>();

/** A provider for the API at `baseUrl`, registered under a fresh id; the profile that uses it. */
function providerAt(baseUrl: string, timeoutMs = 5_000): ConnectionProfile {
  const id = `conformance-${definitions.size + 1}`;
  definitions.set(
    id,
    parseProviderDefinition(
      {
        id,
        name: 'Conformance API',
        category: 'test',
        version: '1.0.0',
        authType: 'api_key',
        baseUrl,
        auth: { apiKey: { location: 'header', keyName: 'X-API-Key' } },
        test: { endpoint: '/key-header/me', timeoutMs },
        endpoints: [
          { method: 'GET', path: '/pet/{petId}', operationId: 'getPet', tag: 'pets', parameters: [{ name: 'petId', in: 'path', schema: { type: 'integer' } }], responseSchema: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } }, required: ['id'] } },
        ],
      },
      id,
    ),
  );
  return { id, name: id, kind: 'http', options: { provider: id } };
}

describeConformance({
  name: 'REST (local API)',
  async setup() {
    api = await startLocalApi(SECRETS);
    return { profile: providerAt(api.url), secret: { apiKey: SECRETS.apiKey }, canary: SECRETS.apiKey, teardown: () => api!.close() };
  },
  seeded: { namespace: 'pets', entity: 'getPet' },
  refused: async () => ({ profile: providerAt(`http://127.0.0.1:${await freePort()}`), secret: { apiKey: SECRETS.apiKey } }),
  badCredentials: async () => ({ profile: providerAt(api!.url), secret: { apiKey: 'not-the-key' }, code: 'AUTHENTICATION_FAILED' }),
  async stalled() {
    const hole = await startBlackHole();
    return { profile: providerAt(`http://127.0.0.1:${hole.port}`, 500), secret: { apiKey: SECRETS.apiKey }, teardown: () => hole.close() };
  },
  stalledWithinMs: 3_000,
  providers: { get: (id: string) => (definitions.has(id) ? { definition: definitions.get(id)! } : undefined) },
});
