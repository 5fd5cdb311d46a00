import { PlugboardError } from '../../core/errors';
import type { ProviderDefinition, Secret } from '../../core/model';
import { redactor } from '../../core/redact';

/**
 * The credentials a REST connection may hold in SecretStorage, by the names the wizard and the CLI use.
 * `username` is not secret but travels with the password it belongs to.
 */
export const SECRET_FIELDS = ['apiKey', 'token', 'username', 'password', 'clientSecret', 'webhookSecret'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

/** Which secrets a definition asks for when a connection is added (in the order the wizard asks). */
export function secretFieldsFor(def: ProviderDefinition): { field: SecretField; label: string; optional?: boolean }[] {
  const out: { field: SecretField; label: string; optional?: boolean }[] = [];
  if (def.authType === 'api_key') out.push({ field: 'apiKey', label: 'API key' });
  if (def.authType === 'bearer') out.push({ field: 'token', label: 'Bearer token' });
  if (def.authType === 'basic') out.push({ field: 'username', label: 'User name' }, { field: 'password', label: 'Password' });
  if (def.authType === 'oauth2' && def.auth.oauth2?.clientAuthMethod !== 'none') {
    out.push({ field: 'clientSecret', label: 'Client secret', optional: !def.auth.oauth2?.grantTypes.includes('client_credentials') });
  }
  if (def.auth.webhook) out.push({ field: 'webhookSecret', label: 'Webhook signing secret' });
  return out;
}

/** Registers every credential with the redactor before it can reach a log line or an error message. */
export function registerSecrets(secret: Secret): void {
  for (const field of SECRET_FIELDS) if (field !== 'username') redactor.register(secret[field]);
}

function missing(def: ProviderDefinition, what: string): PlugboardError {
  return new PlugboardError('AUTHENTICATION_FAILED', `No ${what} is stored for this ${def.name} connection.`, {
    hint: 'Add it with Plugboard: Edit Connection (it is kept in the OS keychain), or set it in the environment for the CLI.',
  });
}

/**
 * Adds the provider's credentials to a request. `accessToken` is the OAuth2 token already obtained (and
 * refreshed) by the caller. Returns a new URL; headers are set in place.
 */
export function applyAuth(def: ProviderDefinition, secret: Secret, url: URL, headers: Headers, accessToken?: { access: string; tokenType: string }): URL {
  const out = new URL(url);
  switch (def.authType) {
    case 'none':
    case 'webhook':
      return out;
    case 'api_key': {
      const cfg = def.auth.apiKey!;
      if (!secret.apiKey) throw missing(def, 'API key');
      if (cfg.location === 'query') out.searchParams.set(cfg.keyName, secret.apiKey);
      else headers.set(cfg.keyName, `${cfg.keyPrefix ?? ''}${secret.apiKey}`);
      return out;
    }
    case 'bearer': {
      const cfg = def.auth.bearer ?? { headerName: 'Authorization', prefix: 'Bearer ' };
      if (!secret.token) throw missing(def, 'bearer token');
      headers.set(cfg.headerName, `${cfg.prefix}${secret.token}`);
      return out;
    }
    case 'basic': {
      if (!secret.username || secret.password === undefined) throw missing(def, 'user name and password');
      const encoded = Buffer.from(`${secret.username}:${secret.password}`, 'utf8').toString('base64');
      redactor.register(encoded);
      headers.set('Authorization', `Basic ${encoded}`);
      return out;
    }
    case 'oauth2': {
      if (!accessToken) throw missing(def, 'OAuth token');
      // Servers send "bearer" in any case; RFC 6750 spells the scheme "Bearer".
      const scheme = accessToken.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : accessToken.tokenType;
      headers.set('Authorization', `${scheme} ${accessToken.access}`);
      return out;
    }
  }
}

/**
 * The CLI's `--secret-env VAR`: one value, put where the definition's auth type keeps it — the API key, the
 * bearer token, the OAuth2 client secret, the webhook secret, or `user:password` for basic auth.
 */
export function secretFromText(def: ProviderDefinition, value: string): Secret {
  switch (def.authType) {
    case 'api_key':
      return { apiKey: value };
    case 'bearer':
      return { token: value };
    case 'basic': {
      const at = value.indexOf(':');
      if (at < 0) throw new PlugboardError('INVALID_CONFIG', `${def.name} uses basic auth: the secret must be "user:password".`);
      return { username: value.slice(0, at), password: value.slice(at + 1) };
    }
    case 'oauth2':
      return { clientSecret: value };
    case 'webhook':
      return { webhookSecret: value };
    case 'none':
      return {};
  }
}
