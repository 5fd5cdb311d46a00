import * as assert from 'node:assert/strict';
import { PreviewCache, toPreviewCell } from '../../src/core/preview';

describe('preview: cells and the query cache', () => {
  it('makes driver values JSON-safe and readable', () => {
    assert.equal(toPreviewCell(12n), '12');
    assert.equal(toPreviewCell(new Date('2026-01-02T03:04:05Z')), '2026-01-02T03:04:05.000Z');
    assert.equal(toPreviewCell(Buffer.from([0xde, 0xad])), '\\xdead');
    assert.match(String(toPreviewCell(Buffer.alloc(100))), /^\\x0{128}… \(100 bytes\)$/);
    assert.equal(toPreviewCell(Number.NaN), 'NaN');
    assert.deepEqual(toPreviewCell({ a: [1n, { toJSON: () => 'x' }], b: undefined }), { a: ['1', 'x'], b: null });
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 50; i++) at = (at.next = {}) as Record<string, unknown>;
    assert.doesNotThrow(() => JSON.stringify(toPreviewCell(deep)));
  });

  it('is an LRU bounded by entries, bytes and age, forgetting a profile at once', () => {
    let now = 0;
    const cache = new PreviewCache<string>({ maxEntries: 2, maxBytes: 100, ttlMs: 1_000, now: () => now });
    const k = (p: string, n: number) => PreviewCache.key(p, ['public', 'orders', n]);
    cache.set(k('a', 1), 'one', 10);
    cache.set(k('a', 2), 'two', 10);
    assert.equal(cache.get(k('a', 1)), 'one'); // now most recently used
    cache.set(k('b', 1), 'three', 10);
    assert.equal(cache.get(k('a', 2)), undefined, 'the least recently used page went');
    assert.equal(cache.get(k('a', 1)), 'one');
    cache.set(k('c', 1), 'big', 95);
    assert.equal(cache.size, 1, 'bytes are bounded too');
    cache.set(k('c', 1), 'too big', 101);
    assert.equal(cache.get(k('c', 1)), undefined, 'a page larger than the cache is not kept');
    cache.set(k('a', 1), 'one', 10);
    cache.set(k('ab', 1), 'other profile', 10);
    cache.forgetProfile('a');
    assert.equal(cache.get(k('a', 1)), undefined);
    assert.equal(cache.get(k('ab', 1)), 'other profile', 'a profile whose id starts alike is kept');
    now = 2_000;
    assert.equal(cache.get(k('ab', 1)), undefined, 'expired');
  });
});
