/**
 * The in-memory idempotency-record store: one entry per key in a Map, for a single process (the
 * default without REDIS_URL). Expired entries (done records after their TTL, running ones after
 * their lease) are swept once a minute and never returned before that.
 */
import { randomUUID } from 'node:crypto';
import type { Claim, ClaimResult, IdempotencyStore, KeyRecord, StoredOutcome } from './idempotency-store.js';

const SWEEP_MS = 60_000;

interface Entry {
  readonly record: KeyRecord;
  /** The claim's token while running; undefined once done. */
  readonly token: string | undefined;
  readonly expiresAt: number;
}

/** Creates the in-memory store; `now` is injectable for tests of expiry. */
export function memoryIdempotencyStore(now: () => number = Date.now): IdempotencyStore {
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined || entry.expiresAt > now()) return entry;
    entries.delete(key);
    return undefined;
  };
  const sweep = setInterval(() => {
    const t = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) entries.delete(key);
  }, SWEEP_MS);
  sweep.unref();
  return {
    kind: 'memory',
    available: true,
    async claim(key: string, fingerprint: string, leaseMs: number): Promise<ClaimResult> {
      const found = live(key);
      if (found !== undefined) return { claimed: false, record: found.record };
      const token = randomUUID();
      entries.set(key, { record: { state: 'running', fingerprint }, token, expiresAt: now() + leaseMs });
      return { claimed: true, claim: { key, token } };
    },
    async complete(claim: Claim, fingerprint: string, outcome: StoredOutcome, ttlMs: number): Promise<boolean> {
      if (live(claim.key)?.token !== claim.token) return false;
      entries.set(claim.key, { record: { state: 'done', fingerprint, outcome }, token: undefined, expiresAt: now() + ttlMs });
      return true;
    },
    async release(claim: Claim): Promise<void> {
      if (live(claim.key)?.token === claim.token) entries.delete(claim.key);
    },
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}
