/**
 * The one interface both idempotency-record stores implement, for operations sent upstream
 * (src/gateway/idempotency.ts): in memory for a single process, Redis when REDIS_URL is set so a
 * retry that lands on another instance finds the record (docs/gateway.md, docs/scaling.md).
 * A key is claimed (a `running` record with a lease) in one atomic step; the claim's holder then
 * either completes it (`done`, with the answer to replay) or releases it.
 */
import type { RequestTrace } from '../tracing/tracing.js';
import type { ErrorType, ValidationIssue } from '../errors.js';

/** Thrown by a shared store that cannot answer (down, timed out): the request gets 503. */
export class IdempotencyStoreUnavailable extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The idempotency-key store is unavailable.', options);
    this.name = 'IdempotencyStoreUnavailable';
  }
}

/** An upstream answer kept to be replayed: its status, the headers worth replaying, its body bytes. */
export interface StoredAnswer {
  readonly kind: 'answer';
  readonly status: number;
  /** Lower-cased names, as the upstream sent them (src/gateway/idempotency.ts says which are kept). */
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
}

/** An upstream 4xx answer as the gateway translated it (UPSTREAM_ERRORS=normalize): replayed in the uniform Error body. */
export interface StoredError {
  readonly kind: 'error';
  readonly status: number;
  readonly error_type: ErrorType;
  readonly detail: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly errors?: readonly ValidationIssue[];
}

/** What a `done` record replays. */
export type StoredOutcome = StoredAnswer | StoredError;

/** A key's record: claimed and still running, or done with its outcome; both carry the request's fingerprint. */
export type KeyRecord =
  | { readonly state: 'running'; readonly fingerprint: string }
  | { readonly state: 'done'; readonly fingerprint: string; readonly outcome: StoredOutcome };

/** A claim held by this request: only its holder may complete or release the key. */
export interface Claim {
  readonly key: string;
  /** What tells this claim from a later one on the same key (after the lease ran out). */
  readonly token: string;
}

/** The result of claiming a key: this request holds it now, or someone did first and this is their record. */
export type ClaimResult = { readonly claimed: true; readonly claim: Claim } | { readonly claimed: false; readonly record: KeyRecord };

/** Where the records live. Each step may be given the request's trace, for a span of the Redis call. */
export interface IdempotencyStore {
  readonly kind: 'memory' | 'redis';
  /** Claims `key` for `leaseMs` unless a record exists (then returns it), in one atomic step. */
  claim(key: string, fingerprint: string, leaseMs: number, trace?: RequestTrace): Promise<ClaimResult>;
  /** Replaces the claim's running record with the done one, kept `ttlMs`; false when the claim was lost (lease over). */
  complete(claim: Claim, fingerprint: string, outcome: StoredOutcome, ttlMs: number, trace?: RequestTrace): Promise<boolean>;
  /** Deletes the claim's running record, so a retry may run; nothing when the claim was lost. */
  release(claim: Claim, trace?: RequestTrace): Promise<void>;
  /** Whether the store answers now (always true in memory). */
  readonly available: boolean;
  close(): Promise<void>;
}
