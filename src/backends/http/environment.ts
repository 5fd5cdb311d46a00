import type { HostServices, ProviderLookup } from '../../core/backend';
import { MemorySecretStore, type SecretStore } from '../../core/profiles/secrets';
import { redactor } from '../../core/redact';
import { ProviderRegistry } from '../../core/registry/registry';
import { RateLimiters } from './rateLimit';

/**
 * What the HTTP backend works with: where provider definitions come from, where OAuth tokens live, how to
 * fetch, and the rate limiters shared by every session of one host. Built from the host's services on
 * connect (`environmentFor`); tests build their own with `makeHttpEnvironment`.
 */
export interface HttpEnvironment {
  providers: ProviderLookup;
  /** SecretStorage in the editor; OAuth tokens are kept here under tokensKey(profile, account). */
  secrets: SecretStore;
  fetch: typeof fetch;
  limiters: RateLimiters;
  /** Already-redacted lines for the output channel. */
  log: (line: string) => void;
  /** Per request, unless the definition's test sets its own. */
  timeoutMs: number;
  /** A Retry-After longer than this is reported instead of waited for. */
  maxRetryWaitMs: number;
  attempts: number;
  now: () => number;
}

export function makeHttpEnvironment(partial: Partial<HttpEnvironment> = {}): HttpEnvironment {
  const log = partial.log;
  return {
    providers: partial.providers ?? new ProviderRegistry(),
    secrets: partial.secrets ?? new MemorySecretStore(),
    fetch: partial.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    limiters: partial.limiters ?? new RateLimiters(),
    log: log ? (line) => log(redactor.redact(line)) : () => undefined,
    timeoutMs: partial.timeoutMs ?? 15_000,
    maxRetryWaitMs: partial.maxRetryWaitMs ?? 30_000,
    attempts: partial.attempts ?? 3,
    now: partial.now ?? Date.now,
  };
}

/** One environment per host (keyed by its secret store), so rate limits and token refreshes are shared. */
const byHost = new WeakMap<SecretStore, HttpEnvironment>();

export function environmentFor(host: Omit<HostServices, 'signal'>): HttpEnvironment {
  let env = byHost.get(host.secrets);
  if (!env) {
    env = makeHttpEnvironment({ providers: host.providers, secrets: host.secrets, fetch: host.fetch, log: host.log, timeoutMs: host.timeoutMs });
    byHost.set(host.secrets, env);
  }
  return env;
}
