import { oauthAccountsKey, tokensKey, type SecretStore } from '../../../core/profiles/secrets';
import { redactor } from '../../../core/redact';

/**
 * OAuth2 tokens of one account of one connection, kept as JSON in the SecretStore (the OS keychain in the
 * editor) under tokensKey(profileId, accountId). The list of accounts lives next to them so Sign Out and
 * connection removal can find every one.
 */
export interface OAuthTokens {
  access: string;
  refresh?: string;
  /** Epoch milliseconds; absent when the server did not say. */
  expiresAt?: number;
  scopes: string[];
  tokenType: string;
  /** Which grant produced them: client-credential tokens are fetched again rather than refreshed. */
  grant?: 'authorization_code' | 'client_credentials';
}

/** Refresh this long before expiry so a request never leaves with a token about to lapse. */
export const REFRESH_SKEW_MS = 60_000;

export class TokenStore {
  constructor(private readonly store: SecretStore) {}

  async get(profileId: string, accountId = 'default'): Promise<OAuthTokens | undefined> {
    const raw = await this.store.get(tokensKey(profileId, accountId));
    if (!raw) return undefined;
    try {
      const t = JSON.parse(raw) as OAuthTokens;
      if (typeof t.access !== 'string') return undefined;
      redactor.register(t.access);
      redactor.register(t.refresh);
      return { ...t, scopes: Array.isArray(t.scopes) ? t.scopes : [] };
    } catch {
      return undefined;
    }
  }

  async save(profileId: string, accountId: string, tokens: OAuthTokens): Promise<void> {
    redactor.register(tokens.access);
    redactor.register(tokens.refresh);
    await this.store.store(tokensKey(profileId, accountId), JSON.stringify(tokens));
    const accounts = await this.accounts(profileId);
    if (!accounts.includes(accountId)) await this.store.store(oauthAccountsKey(profileId), JSON.stringify([...accounts, accountId]));
  }

  async accounts(profileId: string): Promise<string[]> {
    const raw = await this.store.get(oauthAccountsKey(profileId));
    try {
      const list = raw ? (JSON.parse(raw) as unknown) : [];
      return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  async forget(profileId: string, accountId = 'default'): Promise<void> {
    await this.store.delete(tokensKey(profileId, accountId));
    const rest = (await this.accounts(profileId)).filter((a) => a !== accountId);
    if (rest.length) await this.store.store(oauthAccountsKey(profileId), JSON.stringify(rest));
    else await this.store.delete(oauthAccountsKey(profileId));
  }
}

export type TokenState = 'valid' | 'expiring' | 'expired' | 'missing';

export interface TokenStatus {
  state: TokenState;
  /** For the tree: "expires in 42 min", "expired — refreshes on next use", "needs sign-in". */
  label: string;
  expiresInMs?: number;
}

export function tokenStatus(tokens: OAuthTokens | undefined, now = Date.now()): TokenStatus {
  if (!tokens) return { state: 'missing', label: 'needs sign-in' };
  if (tokens.expiresAt === undefined) return { state: 'valid', label: 'signed in' };
  const left = tokens.expiresAt - now;
  const canRenew = !!tokens.refresh || tokens.grant === 'client_credentials';
  if (left <= 0) return { state: canRenew ? 'expired' : 'missing', label: canRenew ? 'expired — refreshes on next use' : 'needs sign-in', expiresInMs: left };
  return { state: left <= REFRESH_SKEW_MS ? 'expiring' : 'valid', label: `expires in ${formatDuration(left)}`, expiresInMs: left };
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.round(h / 24)} days`;
}
