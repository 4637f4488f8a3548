import { describe, expect, it } from 'vitest';
import { TokenCache } from './token-cache.js';

const T0 = 1_800_000_000_000;
const exp = (msFromT0: number) => (T0 + msFromT0) / 1000;

describe('TokenCache', () => {
  it('returns a token until its exp, then forgets it', () => {
    const cache = new TokenCache<string>({ maxEntries: 10, maxAgeMs: 600_000 });
    cache.set('t', 'alice', exp(60_000), T0);
    expect(cache.get('t', T0 + 59_999)).toBe('alice');
    expect(cache.get('t', T0 + 60_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never keeps a token longer than maxAgeMs, whatever its exp', () => {
    const cache = new TokenCache<string>({ maxEntries: 10, maxAgeMs: 1_000 });
    cache.set('t', 'alice', exp(86_400_000), T0);
    expect(cache.get('t', T0 + 999)).toBe('alice');
    expect(cache.get('t', T0 + 1_000)).toBeUndefined();
  });

  it('does not store a token that is already expired', () => {
    const cache = new TokenCache<string>({ maxEntries: 10, maxAgeMs: 1_000 });
    cache.set('t', 'alice', exp(-1), T0);
    expect(cache.size).toBe(0);
  });

  it('is bounded: the least recently used token is evicted first', () => {
    const cache = new TokenCache<string>({ maxEntries: 2, maxAgeMs: 60_000 });
    cache.set('a', 'A', exp(30_000), T0);
    cache.set('b', 'B', exp(30_000), T0);
    expect(cache.get('a', T0)).toBe('A');
    cache.set('c', 'C', exp(30_000), T0);
    expect(cache.size).toBe(2);
    expect(cache.get('b', T0)).toBeUndefined();
    expect(cache.get('a', T0)).toBe('A');
    expect(cache.get('c', T0)).toBe('C');
  });

  it('keeps a token in use over tokens inserted after it but not used since', () => {
    const cache = new TokenCache<string>({ maxEntries: 10, maxAgeMs: 60_000 });
    for (let i = 0; i < 10; i++) cache.set(`t${i}`, `v${i}`, exp(30_000), T0);
    // t0 is the oldest insertion; used now, it must outlive every token not used since.
    expect(cache.get('t0', T0)).toBe('v0');
    for (let i = 10; i < 19; i++) cache.set(`t${i}`, `v${i}`, exp(30_000), T0);
    expect(cache.get('t0', T0)).toBe('v0');
    expect(cache.size).toBe(10);
    for (let i = 1; i < 10; i++) expect(cache.get(`t${i}`, T0)).toBeUndefined();
  });

  it('evicts in insertion order a token used only while it was among the newest half', () => {
    const cache = new TokenCache<string>({ maxEntries: 4, maxAgeMs: 60_000 });
    cache.set('a', 'A', exp(30_000), T0);
    cache.set('b', 'B', exp(30_000), T0);
    expect(cache.get('a', T0)).toBe('A'); // one insertion since: still among the newest, not moved
    cache.set('c', 'C', exp(30_000), T0);
    cache.set('d', 'D', exp(30_000), T0);
    cache.set('e', 'E', exp(30_000), T0);
    expect([cache.get('a', T0), cache.get('b', T0), cache.get('e', T0)]).toEqual([undefined, 'B', 'E']);
  });

  it('forgets everything on clear', () => {
    const cache = new TokenCache<string>({ maxEntries: 2, maxAgeMs: 60_000 });
    cache.set('a', 'A', exp(30_000), T0);
    cache.clear();
    expect(cache.get('a', T0)).toBeUndefined();
  });
});
