import type { ProviderSource } from '../../../core/model';

/**
 * How a generated REST client authenticates: always from environment variables named after the provider
 * (`STRIPE_API_KEY`, `GITHUB_TOKEN` …), documented in the file's header. Only names and non-secret settings
 * (header names, token URL, scopes) are written into code; values are read at run time.
 */
export interface EnvVar {
  name: string;
  doc: string;
  required: boolean;
}

export interface AuthView {
  kind: 'none' | 'api_key_header' | 'api_key_query' | 'bearer' | 'basic' | 'oauth2';
  keyName: string;
  prefix: string;
  headerName: string;
  tokenUrl: string;
  issuer: string;
  scopes: string;
  audience: string;
  clientAuth: string;
  clientId: string;
  clientCredentials: boolean;
  vars: Record<'apiKey' | 'token' | 'username' | 'password' | 'accessToken' | 'clientId' | 'clientSecret' | 'webhookSecret', string>;
}

export function envPrefix(provider: { id: string } | undefined): string {
  const base = (provider?.id ?? 'api').toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[0-9]/.test(base) ? `API_${base}` : base || 'API';
}

export function authView(p: ProviderSource | undefined): { auth: AuthView; env: EnvVar[] } {
  const prefix = envPrefix(p);
  const vars = {
    apiKey: `${prefix}_API_KEY`,
    token: `${prefix}_TOKEN`,
    username: `${prefix}_USERNAME`,
    password: `${prefix}_PASSWORD`,
    accessToken: `${prefix}_ACCESS_TOKEN`,
    clientId: `${prefix}_CLIENT_ID`,
    clientSecret: `${prefix}_CLIENT_SECRET`,
    webhookSecret: `${prefix}_WEBHOOK_SECRET`,
  };
  const auth: AuthView = { kind: 'none', keyName: '', prefix: '', headerName: 'Authorization', tokenUrl: '', issuer: '', scopes: '', audience: '', clientAuth: 'client_secret_basic', clientId: '', clientCredentials: false, vars };
  const env: EnvVar[] = [{ name: `${prefix}_BASE_URL`, doc: `base URL (default ${p?.baseUrl ?? 'none: required'})`, required: !p?.baseUrl }];
  switch (p?.authType) {
    case 'api_key': {
      const a = p.auth.apiKey!;
      Object.assign(auth, { kind: a.location === 'query' ? 'api_key_query' : 'api_key_header', keyName: a.keyName, prefix: a.keyPrefix ?? '' });
      env.push({ name: vars.apiKey, doc: `API key, sent in ${a.location === 'query' ? 'query parameter' : 'header'} "${a.keyName}"`, required: true });
      break;
    }
    case 'bearer':
      Object.assign(auth, { kind: 'bearer', headerName: p.auth.bearer?.headerName ?? 'Authorization', prefix: p.auth.bearer?.prefix ?? 'Bearer ' });
      env.push({ name: vars.token, doc: `token, sent as "${auth.headerName}: ${auth.prefix}<token>"`, required: true });
      break;
    case 'basic':
      auth.kind = 'basic';
      env.push({ name: vars.username, doc: 'user name (HTTP Basic)', required: true }, { name: vars.password, doc: 'password (HTTP Basic)', required: true });
      break;
    case 'oauth2': {
      const o = p.auth.oauth2!;
      const cc = o.grantTypes.includes('client_credentials') && (!!o.tokenUrl || !!o.issuer);
      Object.assign(auth, {
        kind: 'oauth2',
        tokenUrl: o.tokenUrl ?? '',
        issuer: o.issuer ?? '',
        scopes: o.scopes.join(' '),
        audience: o.audience ?? '',
        clientAuth: o.clientAuthMethod,
        clientId: o.clientId ?? '',
        clientCredentials: cc,
      });
      env.push({ name: vars.accessToken, doc: 'OAuth2 access token (e.g. from your own sign-in); used as is when set', required: !cc });
      if (cc) {
        env.push(
          { name: vars.clientId, doc: `OAuth2 client id for the client-credentials grant${o.clientId ? ` (default ${o.clientId})` : ''}`, required: !o.clientId },
          { name: vars.clientSecret, doc: 'OAuth2 client secret for the client-credentials grant', required: true },
        );
      }
      break;
    }
    default:
      break;
  }
  return { auth, env };
}
