/**
 * A bounded LRU of verified tokens, keyed by the token itself: a repeated token costs one Map
 * lookup instead of a signature check. An entry lives until the token's `exp`, never longer than
 * maxAgeMs, and the whole cache is dropped when the JWKS changes (a removed key stops at once).
 *
 * Recency is the Map's insertion order. A hit moves its entry to the newest end only once the entry
 * has fallen into the older half (more than maxEntries / 2 insertions and moves since its own), so
 * a token in steady use costs a lookup, not a delete and a re-insert per request, and eviction is
 * still least-recently-used to within half the cache.
 */

import { JWT_DEFAULTS } from '../config/jwt.js';

/** Size and lifetime limits of the cache. */
export interface TokenCacheOptions {
  readonly maxEntries: number;
  readonly maxAgeMs: number;
}

/** Defaults: JWT_CACHE_SIZE and JWT_CACHE_MAX_AGE's (10 000 tokens, each kept at most 5 minutes). */
export const DEFAULT_TOKEN_CACHE_OPTIONS: TokenCacheOptions = { maxEntries: JWT_DEFAULTS.cacheSize, maxAgeMs: JWT_DEFAULTS.cacheMaxAge * 1000 };

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
  /** The cache's tick when the entry was inserted or last moved to the newest end. */
  tick: number;
}

/** The verified-token cache; `now` is in milliseconds since the epoch. */
export class TokenCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  /** Counts insertions and moves: an entry's age in the order is `tick - entry.tick`. */
  private tick = 0;

  constructor(private readonly options: TokenCacheOptions = DEFAULT_TOKEN_CACHE_OPTIONS) {}

  /** The cached value, or undefined when absent or past its expiry. */
  get(token: string, now: number): V | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(token);
      return undefined;
    }
    if (this.tick - entry.tick > this.options.maxEntries / 2) {
      this.entries.delete(token);
      entry.tick = this.tick++;
      this.entries.set(token, entry);
    }
    return entry.value;
  }

  /** Remembers a verified token until `exp` (seconds) or maxAgeMs, whichever comes first. */
  set(token: string, value: V, exp: number, now: number): void {
    const expiresAt = Math.min(exp * 1000, now + this.options.maxAgeMs);
    if (expiresAt <= now || this.options.maxEntries <= 0) return;
    this.entries.delete(token);
    this.entries.set(token, { value, expiresAt, tick: this.tick++ });
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** Forgets every token. */
  clear(): void {
    this.entries.clear();
  }

  /** How many tokens are held. */
  get size(): number {
    return this.entries.size;
  }
}
