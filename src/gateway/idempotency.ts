/**
 * Idempotency keys on operations sent upstream (draft-ietf-httpapi-idempotency-key-header), for
 * the POST and PATCH operations whose parameters declare the `Idempotency-Key` header: the first
 * request with a key claims it in the shared store (src/gateway/idempotency-store.ts), is
 * forwarded, and the upstream's answer is kept 24 hours; a retry with the same key and request
 * gets that answer again with `Idempotent-Replayed: true` and the upstream is not called; a
 * different request is 422, and a retry while the first is still running (on any instance) is 409.
 * Keys belong to the caller (the verified `sub`, else the client address) and to the operation.
 * When no answer came (connection refused, timeout, circuit open) or the upstream answered 5xx,
 * the claim is released so a retry may run. Other operations go straight to the forwarder.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Contract } from '../contract/spec.js';
import { resolveRef } from '../contract/refs.js';
import { IDEMPOTENCY_TTL_HOURS } from '../http/idempotency.js';
import { ApiError, badGateway, conflict, idempotencyKeyReused, relayedError, serviceUnavailable } from '../errors.js';
import { clientAddress } from '../limits/client-address.js';
import { describeError } from '../log-safe.js';
import type { Next, RequestStage } from '../pipeline/stage.js';
import { stateOf, type RequestState } from '../pipeline/state.js';
import type { Forwarder, UpstreamAnswer } from './forward.js';
import { responseHeaderFilter } from './headers.js';
import type { Claim, IdempotencyStore, KeyRecord, StoredOutcome } from './idempotency-store.js';
import { rawBodyOf } from './raw-body.js';
import { UpstreamMissing } from './upstream-missing.js';

/** The most of an answer's body kept for replay; a bigger answer is sent but not kept, and its key released. */
export const MAX_STORED_BODY = 1024 * 1024;
/** How long a done record is kept: the same as the database's records (src/db/idempotency.ts). */
export const IDEMPOTENCY_TTL_MS = IDEMPOTENCY_TTL_HOURS * 3_600_000;
/** Added to twice UPSTREAM_TIMEOUT_MS (head, then body) for a running record's lease. */
const LEASE_MARGIN_MS = 10_000;
/** Retry-After of the 503 while the store is down (as the rate limiter's, failing closed). */
const STORE_DOWN_RETRY_S = 2;
const HEADER = 'idempotency-key';
/** Never stored: a session cookie is a credential, and the length and date are the replay's own. */
const NOT_STORED = new Set(['set-cookie', 'date', 'content-length']);
const METHODS = new Set(['post', 'patch']);

/** How long a running record holds its key: twice UPSTREAM_TIMEOUT_MS plus a margin, so a crashed instance frees it. */
export const leaseFor = (upstreamTimeoutMs: number): number => 2 * upstreamTimeoutMs + LEASE_MARGIN_MS;

/** The upstream POST and PATCH operations whose parameters (operation or path item) declare the Idempotency-Key header. */
export function idempotentOperations(contract: Contract, upstream: ReadonlySet<string> | ReadonlyMap<string, string>): ReadonlySet<string> {
  const found = new Set<string>();
  for (const op of contract.operations) {
    if (!upstream.has(op.operationId) || !METHODS.has(op.method)) continue;
    const item = contract.document.paths[op.path];
    const parameters = [...(item.parameters ?? []), ...(item[op.method].parameters ?? [])].map((p) => resolveRef(contract.document, p));
    if (parameters.some((p) => p?.in === 'header' && String(p.name).toLowerCase() === HEADER)) found.add(op.operationId);
  }
  return found;
}

/** What the idempotent forwarding stage is built from. */
export interface IdempotencyDeps {
  readonly forwarder: Forwarder;
  /** From idempotentOperations. */
  readonly operations: ReadonlySet<string>;
  readonly store: IdempotencyStore;
  /** From leaseFor. */
  readonly leaseMs: number;
  /** TRUST_PROXY, for the client address that scopes an unauthenticated caller's keys. */
  readonly trustProxy: number;
  /** Told of each replay (specgate_idempotent_replays_total). */
  readonly onReplay?: (operationId: string) => void;
}

/** The key without the quotes of its Structured Field form. */
const bareKey = (field: string) => (field.length >= 2 && field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1) : field);

/** The record's key: a hash of operation, caller and key, so neither identities nor keys appear in the store. */
function recordKey(operationId: string, req: IncomingMessage, state: RequestState, field: string, trustProxy: number): string {
  const caller = state.userId !== undefined ? `caller:${state.userId}` : `ip:${clientAddress(req, trustProxy)}`;
  return `idempotency:${createHash('sha256').update(JSON.stringify([operationId, caller, bareKey(field)])).digest('base64url')}`;
}

/** The request's fingerprint: sha256 of its path, query and body bytes as forwarded (formatting included). */
function fingerprintOf(state: RequestState): string {
  const hash = createHash('sha256').update(state.path).update(state.search === undefined ? '\0' : `?${state.search}\0`);
  const body = rawBodyOf(state);
  if (body !== undefined) hash.update(body);
  return hash.digest('base64url');
}

/** The upstream headers a replay repeats: what the forwarder writes, minus NOT_STORED (Vary kept, merged at write). */
function storedHeaders(headers: UpstreamAnswer['headers']): Record<string, string | string[]> {
  const keep = responseHeaderFilter(headers);
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !NOT_STORED.has(name) && (keep(name) || name === 'vary')) kept[name] = value;
  return kept;
}

/** The forwarder's stage, with Idempotency-Key honoured on `operations`; any other request goes straight through. */
export function idempotentForwarding({ forwarder, operations, store, leaseMs, trustProxy, onReplay }: IdempotencyDeps): RequestStage {
  /** Answers from a record someone else made: replay, 422 or 409. */
  function answerFrom(record: KeyRecord, fingerprint: string, res: ServerResponse, operationId: string): void {
    if (record.fingerprint !== fingerprint) throw idempotencyKeyReused();
    if (record.state === 'running') throw conflict('A request with this Idempotency-Key is still in progress. Retry once it has answered.');
    onReplay?.(operationId);
    const { outcome } = record;
    if (outcome.kind === 'error') throw relayedError(outcome.status, outcome.error_type, outcome.detail, { ...outcome.headers, 'Idempotent-Replayed': 'true' }, outcome.errors);
    forwarder.write(res, { status: outcome.status, headers: { ...outcome.headers, 'idempotent-replayed': 'true' }, body: outcome.body });
  }

  /** Gives the key back so a retry may run; a store that cannot is logged, and the lease frees the key later. */
  async function release(claim: Claim, state: RequestState): Promise<void> {
    await store.release(claim, state.trace).catch((error: unknown) => state.log.warn({ operationId: state.operation?.operationId, cause: describeError(error) }, 'idempotency key not released; it is free again when its lease ends'));
  }

  async function keep(claim: Claim, fingerprint: string, outcome: StoredOutcome, state: RequestState): Promise<void> {
    const kept = await store.complete(claim, fingerprint, outcome, IDEMPOTENCY_TTL_MS, state.trace).catch((error: unknown) => {
      state.log.warn({ operationId: state.operation?.operationId, cause: describeError(error) }, 'idempotent answer not stored; its key is free again when its lease ends');
      return true;
    });
    if (!kept) state.log.warn({ operationId: state.operation?.operationId, leaseMs }, 'idempotent answer not stored: its lease ended before the upstream answered');
  }

  return async function idempotentForwardStage(req: IncomingMessage, res: ServerResponse, next: Next): Promise<void> {
    const state = stateOf(res);
    const operationId = state.operation!.operationId;
    const field = req.headers[HEADER];
    if (!operations.has(operationId) || typeof field !== 'string') return forwarder.stage(req, res, next);
    const key = recordKey(operationId, req, state, field, trustProxy);
    const fingerprint = fingerprintOf(state);
    let claimed;
    try {
      claimed = await store.claim(key, fingerprint, leaseMs, state.trace);
    } catch (error) {
      throw serviceUnavailable('Requests with an Idempotency-Key cannot be run safely while the idempotency-key store is unavailable. Try again shortly.', STORE_DOWN_RETRY_S, error);
    }
    if (!claimed.claimed) return answerFrom(claimed.record, fingerprint, res, operationId);
    const { claim } = claimed;
    let answer: UpstreamAnswer;
    let body: Buffer | undefined;
    try {
      answer = await forwarder.exchange(req, res);
      body = Buffer.isBuffer(answer.body) ? answer.body : await answer.body.collectUpTo(MAX_STORED_BODY);
    } catch (error) {
      // The upstream's own 4xx, translated: an answer, kept like any other. Anything else: no answer to keep.
      if (error instanceof ApiError && error.status < 500) {
        await keep(claim, fingerprint, { kind: 'error', status: error.status, error_type: error.errorType, detail: error.detail, headers: error.headers, ...(error.errors ? { errors: error.errors } : {}) }, state);
        throw error;
      }
      await release(claim, state);
      // An operation the upstream does not have yet goes to the mock (--mock-missing), and a mock's answer is not kept.
      throw error instanceof ApiError || error instanceof UpstreamMissing ? error : badGateway(`The upstream's answer to ${operationId} broke off.`, error);
    }
    if (body === undefined || body.length > MAX_STORED_BODY || answer.status >= 500) {
      if (answer.status < 500) state.log.warn({ operationId, limit: MAX_STORED_BODY }, 'idempotent answer too large to store; its key is released');
      await release(claim, state);
      return forwarder.write(res, answer);
    }
    await keep(claim, fingerprint, { kind: 'answer', status: answer.status, headers: storedHeaders(answer.headers), body }, state);
    forwarder.write(res, { ...answer, body });
  };
}
