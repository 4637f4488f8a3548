/**
 * The in-memory rate-limit store: one TAT per key in a Map, for a single process (the embedded
 * default). Keys whose budget is full again are swept once a minute, so memory follows the
 * callers active within the longest window.
 */
import { admittedTat, gcra, type Decision } from './gcra.js';
import type { RatePolicy } from './policy.js';
import type { RateLimitStore } from './store.js';

const SWEEP_MS = 60_000;

/** The in-memory store, which always answers synchronously. */
export interface MemoryStore extends RateLimitStore {
  take(key: string, policy: RatePolicy): Decision;
}

/** Creates the in-memory store; `now` is injectable for tests of the arithmetic. */
export function memoryStore(now: () => number = Date.now): MemoryStore {
  const tats = new Map<string, number>();
  const sweep = setInterval(() => {
    const t = now();
    for (const [key, tat] of tats) if (tat <= t) tats.delete(key);
  }, SWEEP_MS);
  sweep.unref();
  return {
    kind: 'memory',
    available: true,
    take(key: string, policy: RatePolicy) {
      const window = policy.per * 1000;
      const interval = window / policy.requests;
      const stored = tats.get(key);
      const at = now();
      const decision = gcra(stored, at, interval, window);
      if (decision.allowed) tats.set(key, admittedTat(stored, at, interval));
      return decision;
    },
    async close() {
      clearInterval(sweep);
      tats.clear();
    },
  };
}
