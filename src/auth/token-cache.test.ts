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

  it('forgets everything on clear', () => {
    const cache = new TokenCache<string>({ maxEntries: 2, maxAgeMs: 60_000 });
    cache.set('a', 'A', exp(30_000), T0);
    cache.clear();
    expect(cache.get('a', T0)).toBeUndefined();
  });
});
