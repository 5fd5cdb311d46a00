import * as assert from 'node:assert/strict';
import { PlugboardError, type ErrorCode } from '../../src/core/errors';
import { classifyError } from '../../src/core/health/classify';
import { backoffDelay, sleep, withRetry } from '../../src/core/health/retry';

const fail = (code: ErrorCode, retryAfterMs?: number) => new PlugboardError(code, `failed with ${code}`, { retryAfterMs });

describe('backoffDelay', () => {
  it('is full jitter under an exponential ceiling', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1_000 };
    assert.equal(backoffDelay(0, { ...opts, random: () => 0.999999 }), 100);
    assert.equal(backoffDelay(1, { ...opts, random: () => 0.999999 }), 200);
    assert.equal(backoffDelay(3, { ...opts, random: () => 0.999999 }), 800);
    assert.equal(backoffDelay(4, { ...opts, random: () => 0.999999 }), 1_000, 'capped');
    assert.equal(backoffDelay(30, { ...opts, random: () => 0.999999 }), 1_000, 'no overflow for large attempts');
    assert.equal(backoffDelay(3, { ...opts, random: () => 0 }), 0);
    assert.equal(backoffDelay(3, { ...opts, random: () => 0.5 }), 400);
  });

  it('spreads real random delays over the whole range', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelay(2, { baseDelayMs: 100, maxDelayMs: 10_000 }));
    assert.ok(delays.every((d) => d >= 0 && d <= 400));
    assert.ok(new Set(delays).size > 20, 'jittered, not a fixed delay');
  });
});

describe('withRetry', () => {
  it('retries transient failures with backoff and then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        calls++;
        if (attempt < 2) throw fail(attempt === 0 ? 'CONNECTION_LOST' : 'QUOTA_EXCEEDED');
        return 'ok';
      },
      classifyError,
      { attempts: 5, baseDelayMs: 1, maxDelayMs: 5, random: () => 0.5, onRetry: (_e, _n, delay) => waits.push(delay) },
    );
    assert.equal(result, 'ok');
    assert.equal(calls, 3);
    assert.deepEqual(waits, [1, 1]);
  });

  it('does not retry a non-transient failure', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(async () => {
        calls++;
        throw fail('AUTHENTICATION_FAILED');
      }, classifyError, { attempts: 5, baseDelayMs: 1 }),
      (err: PlugboardError) => err.code === 'AUTHENTICATION_FAILED',
    );
    assert.equal(calls, 1);
  });

  it('classifies raw driver errors before deciding', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(async () => {
        calls++;
        throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      }, classifyError, { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 }),
      (err: PlugboardError) => err.code === 'CONNECTION_LOST',
    );
    assert.equal(calls, 3, 'all attempts used, then the last error');
  });

  it('honours Retry-After instead of its own backoff', async () => {
    const waits: number[] = [];
    const started = performance.now();
    let calls = 0;
    await withRetry(
      async () => {
        if (calls++ === 0) throw fail('QUOTA_EXCEEDED', 60);
        return true;
      },
      classifyError,
      { attempts: 2, baseDelayMs: 10_000, random: () => 1, onRetry: (_e, _n, delay) => waits.push(delay) },
    );
    assert.deepEqual(waits, [60]);
    assert.ok(performance.now() - started >= 55, 'it really waited');
  });

  it('stops waiting the moment it is aborted', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(
      withRetry(async () => {
        throw fail('SERVER_UNAVAILABLE');
      }, classifyError, { attempts: 10, baseDelayMs: 5_000, maxDelayMs: 5_000, random: () => 1, signal: controller.signal }),
      (err: PlugboardError) => err.code === 'CANCELLED',
    );
    assert.ok(performance.now() - started < 1_000);
  });

  it('does not start when already aborted', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(async () => calls++, classifyError, { signal: AbortSignal.abort() }),
      (err: PlugboardError) => err.code === 'CANCELLED',
    );
    assert.equal(calls, 0);
  });

  it('sleep resolves, and rejects with CANCELLED on abort', async () => {
    await sleep(1);
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort();
    await assert.rejects(pending, (err: PlugboardError) => err.code === 'CANCELLED');
  });
});
