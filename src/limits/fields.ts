/**
 * The RateLimit-Policy and RateLimit header fields of draft-ietf-httpapi-ratelimit-headers-08
 * (Structured Field lists): the policy as `"name";q=<requests>;w=<seconds>`, the caller's state as
 * `"name";r=<remaining>;t=<seconds until the budget is full again>`.
 */
import type { Decision } from './gcra.js';
import type { RatePolicy } from './policy.js';

/** The RateLimit-Policy field value of a policy (it never changes, so it is built once). */
export const policyField = (policy: RatePolicy) => `"${policy.name}";q=${policy.requests};w=${policy.per}`;

/** The RateLimit field value for one decision. */
export const limitField = (policy: RatePolicy, decision: Decision) => `"${policy.name}";r=${decision.remaining};t=${Math.ceil(decision.resetMs / 1000)}`;

/** Whole seconds until a refused request would be admitted, at least 1 (Retry-After). */
export const retryAfterSeconds = (decision: Decision) => Math.max(1, Math.ceil(decision.retryMs / 1000));
