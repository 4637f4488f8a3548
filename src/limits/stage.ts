/**
 * The rate-limit stage, in two places of the pipeline: `by: ip` policies right after route, so a
 * flood of bad tokens is counted before any signature is checked; `by: caller` policies right
 * after authenticate, because the budget's key must be the verified `sub` (an unverified one could
 * be forged to spend someone else's budget or to dodge one's own). A caller policy on a public
 * operation falls back to the client address. Every limited response carries RateLimit-Policy and
 * RateLimit; over the limit it is 429 rate_limited with Retry-After. When the shared store is down
 * the request passes without those fields (fail open), or gets 503 with RATE_LIMIT_FAILURE=closed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rateLimited, serviceUnavailable } from '../errors.js';
import { stateOf } from '../pipeline/state.js';
import { clientAddress } from './client-address.js';
import { limitField, policyField, retryAfterSeconds } from './fields.js';
import type { Decision } from './gcra.js';
import type { LimitBy, RatePolicy } from './policy.js';
import { StoreUnavailable, type RateLimitStore } from './store.js';
import type { RequestStage } from '../pipeline/stage.js';

/** Seconds a client is told to wait when the store is down and limits fail closed. */
export const STORE_DOWN_RETRY_AFTER = 2;

/** What both rate-limit stages share. */
export interface RateLimiter {
  readonly policies: ReadonlyMap<string, RatePolicy>;
  readonly store: RateLimitStore;
  /** RATE_LIMIT_FAILURE=closed: 503 instead of passing while the store is down. */
  readonly failClosed: boolean;
  /** TRUST_PROXY: proxy hops whose X-Forwarded-For entries are believed. */
  readonly trustProxy: number;
  /** Told of every request refused with 429 (metrics). */
  readonly onRejected?: (policy: RatePolicy) => void;
}

type Next = (error?: unknown) => void;

/**
 * The stage that enforces the policies keyed `by`, as a list of stage functions: empty when the
 * contract has no such policy (or limits are off), so an unlimited pipeline pays nothing for it.
 */
export function rateLimit(limiter: RateLimiter, by: LimitBy): RequestStage[] {
  const { store, failClosed, trustProxy, onRejected } = limiter;
  // Per operation: its policy, its RateLimit-Policy field and the two key prefixes, made once.
  const mine = new Map(
    [...limiter.policies]
      .filter(([, p]) => p.by === by)
      .map(([id, p]) => [id, { policy: p, field: policyField(p), callerKey: `${p.name}:caller:`, ipKey: `${p.name}:ip:` }]),
  );
  if (mine.size === 0) return [];
  const unavailable = (error: unknown, next: Next) => {
    if (!(error instanceof StoreUnavailable)) return next(error);
    if (!failClosed) return next();
    next(serviceUnavailable('The rate-limit store is unavailable. Try again shortly.', STORE_DOWN_RETRY_AFTER, error.cause));
  };
  return [
    function rateLimitStage(req: IncomingMessage, res: ServerResponse, next: Next): void {
      const state = stateOf(res);
      const entry = mine.get(state.operation!.operationId);
      if (!entry) return next();
      const { policy, field } = entry;
      const key = by === 'caller' && state.userId !== undefined ? entry.callerKey + state.userId : entry.ipKey + clientAddress(req, trustProxy);
      const decide = (decision: Decision) => {
        // With the other headers every answer carries (RequestState.headers): one writeHead sends them all.
        state.headers.push('RateLimit-Policy', field, 'RateLimit', limitField(policy, decision));
        if (decision.allowed) return next();
        onRejected?.(policy);
        next(rateLimited(retryAfterSeconds(decision)));
      };
      let taken: Decision | Promise<Decision>;
      try {
        taken = store.take(key, policy, state.trace);
      } catch (error) {
        return unavailable(error, next);
      }
      if (taken instanceof Promise) taken.then(decide, (error: unknown) => unavailable(error, next));
      else decide(taken);
    },
  ];
}
