import { PlugboardError, throwIfAborted } from '../errors';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** Called before each wait, e.g. to log "retrying in 400 ms". */
  onRetry?: (err: PlugboardError, attempt: number, delayMs: number) => void;
  /** Random source in [0,1); tests pass a fixed one. */
  random?: () => number;
}

/**
 * Full-jitter exponential backoff: wait a random time in [0, min(max, base·2^n)], or what the server asked
 * (Retry-After) when it said. Only transient PlugboardErrors are retried; anything else fails at once.
 */
export function backoffDelay(attempt: number, opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {}): number {
  const base = opts.baseDelayMs ?? 200;
  const cap = opts.maxDelayMs ?? 5_000;
  const ceiling = Math.min(cap, base * 2 ** attempt);
  return Math.round((opts.random ?? Math.random)() * ceiling);
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, classify: (err: unknown) => PlugboardError, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 3;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(opts.signal);
    try {
      return await fn(attempt);
    } catch (raw) {
      const err = classify(raw);
      if (!err.transient || attempt + 1 >= attempts || opts.signal?.aborted) throw err;
      const delay = err.retryAfterMs ?? backoffDelay(attempt, opts);
      opts.onRetry?.(err, attempt + 1, delay);
      await sleep(delay, opts.signal);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new PlugboardError('CANCELLED', 'The operation was cancelled.'));
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new PlugboardError('CANCELLED', 'The operation was cancelled.'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
