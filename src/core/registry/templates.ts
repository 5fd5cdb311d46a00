import { parseProviderDefinition, type ProviderDefinition, type ProviderDefinitionInput } from '../model';

/**
 * Built-in templates: provider definitions for the common ways REST services authenticate, with the parts
 * that differ between services left as `{{variables}}`. A connection can use a template directly (its profile
 * fills the variables), or the template can be instantiated into a concrete, shareable definition.
 */
const baseUrl = { name: 'baseUrl', label: 'Base URL', placeholder: 'https://api.example.com/v1', description: 'Every request path is appended to it.' };
const testPath = { name: 'testPath', label: 'Test endpoint', default: '/', description: 'A cheap GET that needs authentication, e.g. /me or /health.' };
const common = { category: 'custom', version: '1.0.0', rateLimits: { requestsPerMinute: 60, burst: 10 } };
const test: ProviderDefinitionInput['test'] = { endpoint: '{{testPath}}', method: 'GET', expectedStatus: [200] };

const TEMPLATE_INPUTS: ProviderDefinitionInput[] = [
  {
    ...common,
    id: 'rest-api-bearer',
    name: 'REST API with bearer token',
    description: 'Sends "Authorization: Bearer <token>"; the token is asked for when you add the connection.',
    authType: 'bearer',
    baseUrl: '{{baseUrl}}',
    variables: [baseUrl, testPath],
    auth: { bearer: { headerName: 'Authorization', prefix: 'Bearer ' } },
    test,
  },
  {
    ...common,
    id: 'rest-api-key-header',
    name: 'REST API with an API key header',
    description: 'Sends the API key in a request header such as X-API-Key.',
    authType: 'api_key',
    baseUrl: '{{baseUrl}}',
    variables: [baseUrl, { name: 'headerName', label: 'Header name', default: 'X-API-Key' }, testPath],
    auth: { apiKey: { location: 'header', keyName: '{{headerName}}' } },
    test,
  },
  {
    ...common,
    id: 'rest-api-key-query',
    name: 'REST API with an API key query parameter',
    description: 'Appends the API key to every URL as a query parameter (e.g. ?api_key=…).',
    authType: 'api_key',
    baseUrl: '{{baseUrl}}',
    variables: [baseUrl, { name: 'paramName', label: 'Query parameter name', default: 'api_key' }, testPath],
    auth: { apiKey: { location: 'query', keyName: '{{paramName}}' } },
    test,
  },
  {
    ...common,
    id: 'basic-auth',
    name: 'REST API with HTTP Basic authentication',
    description: 'Sends a user name and password with every request (RFC 7617).',
    authType: 'basic',
    baseUrl: '{{baseUrl}}',
    variables: [baseUrl, testPath],
    auth: { basic: {} },
    test,
  },
  {
    ...common,
    id: 'oauth2-authorization-code',
    name: 'OAuth 2.0 sign-in (authorization code + PKCE)',
    description: 'Signs you in through the browser; tokens are kept in the OS keychain and refreshed before they expire.',
    authType: 'oauth2',
    baseUrl: '{{baseUrl}}',
    variables: [
      baseUrl,
      { name: 'authUrl', label: 'Authorization URL', placeholder: 'https://auth.example.com/authorize' },
      { name: 'tokenUrl', label: 'Token URL', placeholder: 'https://auth.example.com/token' },
      { name: 'revocationUrl', label: 'Revocation URL (optional)', required: false },
      { name: 'clientId', label: 'Client ID' },
      { name: 'scopes', label: 'Scopes (space-separated)', default: '', required: false },
      testPath,
    ],
    auth: {
      oauth2: {
        authUrl: '{{authUrl}}',
        tokenUrl: '{{tokenUrl}}',
        revocationUrl: '{{revocationUrl}}',
        clientId: '{{clientId}}',
        scopes: ['{{scopes}}'],
        pkce: true,
        clientAuthMethod: 'none',
        grantTypes: ['authorization_code'],
      },
    },
    test,
  },
  {
    ...common,
    id: 'oauth2-client-credentials',
    name: 'OAuth 2.0 client credentials (service to service)',
    description: 'Exchanges a client id and secret for an access token; no browser involved.',
    authType: 'oauth2',
    baseUrl: '{{baseUrl}}',
    variables: [
      baseUrl,
      { name: 'tokenUrl', label: 'Token URL', placeholder: 'https://auth.example.com/token' },
      { name: 'clientId', label: 'Client ID' },
      { name: 'scopes', label: 'Scopes (space-separated)', default: '', required: false },
      { name: 'audience', label: 'Audience (optional)', required: false },
      testPath,
    ],
    auth: {
      oauth2: {
        tokenUrl: '{{tokenUrl}}',
        clientId: '{{clientId}}',
        scopes: ['{{scopes}}'],
        audience: '{{audience}}',
        pkce: false,
        clientAuthMethod: 'client_secret_basic',
        grantTypes: ['client_credentials'],
      },
    },
    test,
  },
  {
    ...common,
    id: 'webhook-hmac',
    name: 'Incoming webhooks signed with HMAC',
    description: 'Verifies signed deliveries (HMAC-SHA256 over "<timestamp>.<body>", hex) and rejects replays.',
    authType: 'webhook',
    variables: [
      { name: 'signatureHeader', label: 'Signature header', default: 'X-Signature' },
      { name: 'timestampHeader', label: 'Timestamp header', default: 'X-Timestamp' },
      { name: 'prefix', label: 'Signature prefix', default: 'sha256=', required: false },
    ],
    auth: {
      webhook: {
        signatureHeader: '{{signatureHeader}}',
        algorithm: 'hmac-sha256',
        encoding: 'hex',
        prefix: '{{prefix}}',
        timestampHeader: '{{timestampHeader}}',
        toleranceSeconds: 300,
        signedPayload: 'timestamp.body',
      },
    },
  },
];

/** Parsed once: a template that does not validate is a bug here, so it fails loudly at first use. */
let parsed: { definition: ProviderDefinition; raw: ProviderDefinitionInput }[] | undefined;

export function builtinTemplates(): readonly { definition: ProviderDefinition; raw: ProviderDefinitionInput }[] {
  parsed ??= TEMPLATE_INPUTS.map((raw) => ({ raw, definition: parseProviderDefinition(raw, `built-in template ${raw.id}`) }));
  return parsed;
}

export const TEMPLATE_IDS: readonly string[] = TEMPLATE_INPUTS.map((t) => t.id);
