/**
 * The one interface both rate-limit stores implement: in memory for a single process, Redis when
 * REDIS_URL is set so every instance shares each budget (docs/scaling.md).
 */
import type { RequestTrace } from '../tracing/tracing.js';
import type { Decision } from './gcra.js';
import type { RatePolicy } from './policy.js';

/** Thrown by a shared store that cannot answer (down, timed out); the stage fails open or closed. */
export class StoreUnavailable extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The rate-limit store is unavailable.', options);
    this.name = 'StoreUnavailable';
  }
}

/** Where budgets live. */
export interface RateLimitStore {
  readonly kind: 'memory' | 'redis';
  /** Spends one request of `key`'s budget under policy; a synchronous answer when the store is local. `trace`: the request's, for a span of the Redis call. */
  take(key: string, policy: RatePolicy, trace?: RequestTrace): Decision | Promise<Decision>;
  /** Whether the store answers now (always true in memory). */
  readonly available: boolean;
  close(): Promise<void>;
}
