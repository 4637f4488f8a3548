import { describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store.js';
import type { RatePolicy } from './policy.js';

const policy = (requests: number, per: number): RatePolicy => ({ name: 'p', requests, per, by: 'caller' });

describe('GCRA in the memory store', () => {
  it('admits the whole budget at once, counting down, then refuses with the wait until the next one', () => {
    let now = 1_000_000;
    const store = memoryStore(() => now);
    const seen = Array.from({ length: 4 }, () => store.take('k', policy(3, 60)));
    expect(seen).toEqual([
      { allowed: true, remaining: 2, resetMs: 20_000, retryMs: 0 },
      { allowed: true, remaining: 1, resetMs: 40_000, retryMs: 0 },
      { allowed: true, remaining: 0, resetMs: 60_000, retryMs: 0 },
      { allowed: false, remaining: 0, resetMs: 60_000, retryMs: 20_000 },
    ]);
    now += 19_999;
    expect(store.take('k', policy(3, 60))).toMatchObject({ allowed: false, retryMs: 1 });
    now += 1;
    expect(store.take('k', policy(3, 60))).toEqual({ allowed: true, remaining: 0, resetMs: 60_000, retryMs: 0 });
    void store.close();
  });

  it('refills one request per emission interval, never more than the budget', () => {
    let now = 0;
    const store = memoryStore(() => now);
    store.take('k', policy(2, 10));
    now += 3_600_000;
    expect(store.take('k', policy(2, 10))).toMatchObject({ allowed: true, remaining: 1 });
    void store.close();
  });

  it('counts a budget whose interval is not a whole number of milliseconds exactly', () => {
    const store = memoryStore(() => 0);
    const admitted = Array.from({ length: 10 }, () => store.take('k', policy(7, 60))).filter((d) => d.allowed).length;
    expect(admitted).toBe(7);
    void store.close();
  });

  it('keeps one budget per key', () => {
    const store = memoryStore(() => 0);
    store.take('a', policy(1, 60));
    expect(store.take('a', policy(1, 60)).allowed).toBe(false);
    expect(store.take('b', policy(1, 60)).allowed).toBe(true);
    void store.close();
  });
});
