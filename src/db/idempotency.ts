/**
 * Idempotency keys on the database (draft-ietf-httpapi-idempotency-key-header): the first request
 * with a key runs its write and stores its answer in the same transaction, so the change and the
 * record commit together or not at all — across instances and across a crash. A retry with the
 * same key and body gets the stored answer; a different body is 422; a retry while the first is
 * still running finds its transaction-scoped advisory lock taken and gets 409.
 */
import { createHash } from 'node:crypto';
import type { HandlerResult } from '../pipeline/dispatch.js';
import { conflict, idempotencyKeyReused } from '../errors.js';
import type { Database, Queryable } from './database.js';
import { IDEMPOTENCY_TTL_HOURS } from '../http/idempotency.js';

/** Whose key, for which operation, over which request body. */
export interface IdempotentRequest {
  readonly userId: string;
  readonly operation: string;
  /** The Idempotency-Key field as sent (quoted sf-string or bare). */
  readonly key: string;
  readonly body: unknown;
}

interface KeyRow {
  fingerprint: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The key without the quotes of its Structured Field form. */
const bareKey = (field: string) => (field.length >= 2 && field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1) : field);

const fingerprintOf = (body: unknown) => createHash('sha256').update(JSON.stringify(body ?? null)).digest('base64url');

/** Runs `write` once per key; a replay answers the stored result with `Idempotent-Replayed: true`. */
export async function idempotent<R extends HandlerResult>(db: Database, request: IdempotentRequest, write: (tx: Queryable) => Promise<R>): Promise<R> {
  const key = bareKey(request.key);
  const fingerprint = fingerprintOf(request.body);
  const ids = [request.userId, request.operation, key] as const;
  return db.transaction(async (tx) => {
    // Held until this transaction ends: a concurrent retry on any instance does not wait for it, it is told to retry.
    const [lock] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2 || $3)) AS locked', ids);
    if (!lock?.locked) throw conflict('A request with this Idempotency-Key is still in progress. Retry once it has answered.');
    await tx.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND expires_at < now()', [request.userId]);
    const [stored] = await tx.query<KeyRow>('SELECT fingerprint, status, headers, body FROM idempotency_keys WHERE user_id = $1 AND operation = $2 AND key = $3', ids);
    if (stored) {
      if (stored.fingerprint !== fingerprint) throw idempotencyKeyReused();
      return { status: stored.status, body: stored.body ?? undefined, headers: { ...stored.headers, 'Idempotent-Replayed': 'true' } } as unknown as R;
    }
    const result = await write(tx);
    await tx.query(
      `INSERT INTO idempotency_keys (user_id, operation, key, fingerprint, status, headers, body, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(hours => $8))`,
      [...ids, fingerprint, result.status, JSON.stringify(result.headers ?? {}), result.body === undefined ? null : JSON.stringify(result.body), IDEMPOTENCY_TTL_HOURS],
    );
    return result;
  });
}
