import type { BackendModule } from '../../core/backend';
import { DOCS_MARKDOWN, TS_TYPES, ZOD } from '../../core/codegen/targets';
import { PlugboardError } from '../../core/errors';
import { HttpOptions } from './options';

/**
 * Any REST service described as data by a provider definition (API key, bearer, basic, OAuth2 with PKCE and
 * refresh, webhook HMAC). Connections are made by the provider wizard (Add REST Connection), not from a URL.
 */
export const httpBackend: BackendModule<HttpOptions> = {
  kind: 'http',
  label: 'REST API',
  description: 'Any REST service described by a provider definition (API key, bearer, basic, OAuth2, webhooks)',
  schemes: [],
  options: HttpOptions,
  secrets: [
    { key: 'apiKey', label: 'API key', optional: true },
    { key: 'token', label: 'Bearer token', optional: true },
    { key: 'username', label: 'User name', optional: true },
    { key: 'password', label: 'Password', optional: true },
    { key: 'clientSecret', label: 'OAuth2 client secret', optional: true },
    { key: 'webhookSecret', label: 'Webhook signing secret', optional: true },
  ],
  parse() {
    throw new PlugboardError('INVALID_CONFIG', 'A REST connection is not made from a URL.', {
      hint: 'Use a provider definition: Plugboard: Add REST Connection, or --provider FILE|ID in the CLI.',
    });
  },
  format: () => undefined,
  describe: (o) => o.provider,
  form: [],
  capabilities: { introspect: true, crud: false, preview: false, ddl: false, subscribe: false, migrateFrom: false, migrateTo: false },
  targets: [
    {
      id: 'rest-client',
      label: 'REST client',
      description: 'A typed fetch client with auth from the environment, rate limiting and retries',
      default: true,
      load: async () => (await import('./targets/restClient')).restClientTarget,
    },
    {
      id: 'webhook-verify',
      label: 'Webhook verifier',
      description: 'Verifies signed webhook deliveries (timing-safe, with replay protection)',
      load: async () => (await import('./targets/webhookVerify')).webhookVerifyTarget,
    },
    TS_TYPES,
    ZOD,
    DOCS_MARKDOWN,
  ],
  valueMapping: { types: {} },
  load: async () => (await import('./driver')).httpDriver,
};
