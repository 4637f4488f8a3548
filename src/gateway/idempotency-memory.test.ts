/** The in-memory idempotency store stays within its caps: the oldest records go first, and an evicted key runs again. */
import { describe, expect, it } from 'vitest';
import { memoryIdempotencyStore } from './idempotency-memory.js';
import type { StoredAnswer } from './idempotency-store.js';

const MiB = 1024 * 1024;
const answer = (bytes: number): StoredAnswer => ({ kind: 'answer', status: 201, headers: { 'content-type': 'application/json' }, body: Buffer.alloc(bytes, 0x61) });

async function store(s: ReturnType<typeof memoryIdempotencyStore>, key: string, bytes: number) {
  const claimed = await s.claim(key, `fp-${key}`, 30_000);
  if (!claimed.claimed) throw new Error(`${key} was not claimed`);
  expect(await s.complete(claimed.claim, `fp-${key}`, answer(bytes), 86_400_000)).toBe(true);
}

describe('the in-memory idempotency store', () => {
  it('keeps 1,000 keys with 200 KB answers within IDEMPOTENCY_MAX_BYTES, evicting the oldest first', async () => {
    const cap = 20 * MiB;
    const s = memoryIdempotencyStore({ maxEntries: 10_000, maxBytes: cap });
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = 0;
    for (let i = 0; i < 1000; i++) {
      await store(s, `key-${i}`, 200 * 1024);
      peak = Math.max(peak, s.usage().bytes);
    }
    global.gc?.();
    const rssGrowth = (process.memoryUsage().rss - rssBefore) / MiB;
    process.stdout.write(`1,000 × 200 KB answers: ${s.usage().entries} kept, ${(s.usage().bytes / MiB).toFixed(1)} MiB accounted (peak ${(peak / MiB).toFixed(1)}), RSS +${rssGrowth.toFixed(0)} MiB\n`);
    expect(peak).toBeLessThanOrEqual(cap);
    expect(s.usage().entries).toBeGreaterThan(90);
    expect(s.usage().entries).toBeLessThan(103);
    // The newest is kept and replayed; the oldest was evicted, so its retry runs again.
    expect((await s.claim('key-999', 'fp-key-999', 30_000)).claimed).toBe(false);
    expect((await s.claim('key-0', 'fp-key-0', 30_000)).claimed).toBe(true);
    // Roughly: the evicted answers are garbage not yet collected; kept all, they would be over 200 MiB.
    expect(rssGrowth).toBeLessThan(180);
    await s.close();
  });

  it('keeps at most IDEMPOTENCY_MAX_ENTRIES records', async () => {
    const s = memoryIdempotencyStore({ maxEntries: 3, maxBytes: 64 * MiB });
    for (const key of ['a', 'b', 'c', 'd']) await store(s, key, 10);
    expect(s.usage().entries).toBe(3);
    expect((await s.claim('a', 'fp-a', 30_000)).claimed).toBe(true);
    expect((await s.claim('d', 'fp-d', 30_000)).claimed).toBe(false);
    await s.close();
  });
});
