import type { ConnectionProfile, Secret } from '../model';
import { redactor } from '../redact';

/**
 * Where secrets live: VS Code's SecretStorage in the editor (OS keychain), an in-memory map in the CLI and
 * tests. Keys are built only by the functions below, so every secret Plugboard stores is findable (and
 * removable) from its profile id.
 */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A key in the secret store. Only `secretKey` makes one, and nothing parses one back. */
export type SecretKey = string & { readonly __brand: 'plugboard secret key' };

/** What a key holds for its profile: its credentials, the list of its OAuth2 accounts, or one account's tokens. */
export type SecretSlot = 'credentials' | 'oauth-accounts' | { oauthAccount: string };

export function secretKey(profileId: string, slot: SecretSlot): SecretKey {
  const suffix = typeof slot === 'string' ? slot : `oauth:${slot.oauthAccount}`;
  return `plugboard:${profileId}:${suffix}` as SecretKey;
}

/** The profile's credentials: `{ password }`, `{ apiKey }`, `{ clientSecret }` … as one JSON value. */
export function credentialsKey(profileId: string): SecretKey {
  return secretKey(profileId, 'credentials');
}

/** OAuth2 tokens of one account of a profile. */
export function tokensKey(profileId: string, accountId = 'default'): SecretKey {
  return secretKey(profileId, { oauthAccount: accountId });
}

/** The ids of the accounts signed in on a profile (a JSON array), so all of them can be listed and removed. */
export function oauthAccountsKey(profileId: string): SecretKey {
  return secretKey(profileId, 'oauth-accounts');
}

/** Every key a profile may own, for removal and for telling which profile a changed key belongs to. */
export function profileKeys(profileId: string, accountIds: readonly string[] = ['default']): SecretKey[] {
  return [credentialsKey(profileId), oauthAccountsKey(profileId), ...accountIds.map((a) => tokensKey(profileId, a))];
}

/** Every key a profile may own: its credentials and its OAuth2 accounts' tokens (the one named in its options). */
export function secretKeysOf(profile: Pick<ConnectionProfile, 'id' | 'options'>): SecretKey[] {
  const account = typeof profile.options.accountId === 'string' ? [profile.options.accountId] : [];
  return profileKeys(profile.id, ['default', ...account]);
}

export async function readSecret(store: SecretStore, profileId: string): Promise<Secret> {
  const raw = await store.get(credentialsKey(profileId));
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (!parsed || typeof parsed !== 'object') return {};
    const secret: Secret = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof v === 'string') {
        secret[k] = v;
        redactor.register(v);
      }
    }
    return secret;
  } catch {
    return {};
  }
}

export async function writeSecret(store: SecretStore, profileId: string, secret: Secret): Promise<void> {
  const entries = Object.entries(secret).filter(([, v]) => typeof v === 'string' && v !== '');
  entries.forEach(([, v]) => redactor.register(v));
  if (!entries.length) await store.delete(credentialsKey(profileId));
  else await store.store(credentialsKey(profileId), JSON.stringify(Object.fromEntries(entries)));
}

/** SecretStore in memory, for the CLI and tests. */
export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}
