import type { ProviderDefinition } from '../model';

/**
 * Human descriptions of a definition: what Import shows before anything is stored, and the detail line of a
 * provider in the Discover quick pick. Built from non-secret fields only.
 */
export function describeAuth(def: ProviderDefinition): string {
  const a = def.auth;
  switch (def.authType) {
    case 'none':
      return 'no authentication';
    case 'api_key':
      return `API key in ${a.apiKey?.location === 'query' ? 'query parameter' : 'header'} ${a.apiKey?.keyName ?? '?'}`;
    case 'bearer':
      return `bearer token in ${a.bearer?.headerName ?? 'Authorization'}`;
    case 'basic':
      return 'HTTP Basic (user name + password)';
    case 'oauth2': {
      const o = a.oauth2;
      const grants = o?.grantTypes.map((g) => (g === 'authorization_code' ? `authorization code${o.pkce ? ' + PKCE' : ''}` : 'client credentials')).join(', ');
      return `OAuth 2.0 (${grants ?? '?'})${o?.issuer ? ` via ${o.issuer}` : ''}${o?.scopes.length ? `, scopes ${o.scopes.join(' ')}` : ''}`;
    }
    case 'webhook': {
      const w = a.webhook;
      return `signed webhooks (${w?.algorithm ?? '?'} ${w?.encoding ?? ''} in ${w?.signatureHeader ?? '?'}${w?.timestampHeader ? `, timestamp in ${w.timestampHeader}, ±${w.toleranceSeconds}s` : ''})`;
    }
  }
}

/** One line per fact, for Import's confirmation and the CLI. */
export function describeProvider(def: ProviderDefinition): string[] {
  const lines = [`${def.name} (${def.id}) ${def.version} · ${def.category}`];
  if (def.description) lines.push(def.description);
  lines.push(`Auth: ${describeAuth(def)}`);
  if (def.baseUrl) lines.push(`Base URL: ${def.baseUrl}`);
  if (def.variables.length) lines.push(`Asks for: ${def.variables.map((v) => v.label).join(', ')}`);
  if (def.test) lines.push(`Test: ${def.test.method} ${def.test.endpoint} → ${def.test.expectedStatus.join('/')}`);
  if (def.rateLimits) lines.push(`Rate limit: ${def.rateLimits.requestsPerMinute}/min${def.rateLimits.burst ? `, burst ${def.rateLimits.burst}` : ''}`);
  if (def.openapi) lines.push(`OpenAPI: ${def.openapi}`);
  if (def.endpoints?.length) lines.push(`Endpoints: ${def.endpoints.length} declared`);
  return lines;
}
