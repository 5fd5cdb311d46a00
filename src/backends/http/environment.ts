import type { ProviderDefinition } from '../../core/model';
import { MemorySecretStore, type SecretStore } from '../../core/profiles/secrets';
import { redactor } from '../../core/redact';
import { ProviderRegistry } from '../../core/registry/registry';
import { RateLimiters } from './rateLimit';

/**
 * What the HTTP adapter needs from its host: where provider definitions come from, where OAuth tokens live,
 * and how to fetch. The editor and the CLI set it once at startup (`setHttpEnvironment`); tests build their
 * own with `createHttpAdapter(env)` and never touch the shared one.
 */
/** A ProviderRegistry fits; the editor's lookup waits for the registry's first load before answering. */
export interface ProviderLookup {
  get(id: string): ProviderLookupResult | Promise<ProviderLookupResult>;
}
export type ProviderLookupResult = { definition: ProviderDefinition; file?: string } | undefined;

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

let shared: HttpEnvironment | undefined;

/** Called once by the host (extension activation, CLI start) before any http connection is opened. */
export function setHttpEnvironment(partial: Partial<HttpEnvironment>): HttpEnvironment {
  shared = makeHttpEnvironment(partial);
  return shared;
}

export function httpEnvironment(): HttpEnvironment {
  shared ??= makeHttpEnvironment();
  return shared;
}
