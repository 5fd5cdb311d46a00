import { sleep } from '../../core/health/retry';
import type { RateLimits } from '../../core/model';

/**
 * A token bucket per provider: `burst` requests at once, refilled at `requestsPerMinute`. A 429 with
 * Retry-After pauses the whole bucket, so every caller of that provider waits, not only the one refused.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly capacity: number,
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  static for(limits: RateLimits): TokenBucket {
    return new TokenBucket(limits.burst ?? Math.max(1, Math.floor(limits.requestsPerMinute / 10)), limits.requestsPerMinute);
  }

  /** Milliseconds until a token is free (0 when one is free now); does not take it. */
  waitTime(): number {
    this.refill();
    const t = this.now();
    if (t < this.pausedUntil) return this.pausedUntil - t;
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
  }

  /** Resolves when the caller may send; callers are served in order, so a burst cannot starve anyone. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      for (let wait = this.waitTime(); wait > 0; wait = this.waitTime()) await sleep(wait, signal);
      this.tokens -= 1;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) * this.perMinute) / 60_000);
    this.last = t;
  }
}

/** Buckets by provider id; limits changed in a new definition version replace the bucket. */
export class RateLimiters {
  private readonly buckets = new Map<string, { key: string; bucket: TokenBucket }>();

  for(providerId: string, limits: RateLimits | undefined): TokenBucket | undefined {
    if (!limits) return undefined;
    const key = `${limits.requestsPerMinute}/${limits.burst ?? ''}`;
    const found = this.buckets.get(providerId);
    if (found?.key === key) return found.bucket;
    const bucket = TokenBucket.for(limits);
    this.buckets.set(providerId, { key, bucket });
    return bucket;
  }
}
