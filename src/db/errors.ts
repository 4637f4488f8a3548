/**
 * Translates driver errors at the edge: SQLSTATEs and connection failures become ApiErrors,
 * and no SQL or driver text ever reaches a client.
 */
import { ApiError, InternalFault, conflict, malformedValue, serviceUnavailable, validationError } from '../errors.js';

/**
 * Why the database could not serve a request, as a log line says it: every pooled connection is
 * busy (`pool_exhausted`: the database is up, requests queue behind slow or locked statements), or
 * it cannot be reached (`database_unreachable`). `details` carries the driver's code, if any.
 */
export class DatabaseFault extends InternalFault {
  constructor(
    readonly code: 'pool_exhausted' | 'database_unreachable',
    message: string,
    details?: unknown,
  ) {
    super(message, details);
    this.name = 'DatabaseFault';
  }
}

/** Thrown when no pooled connection became free within DB_POOL_TIMEOUT_MS. */
export const poolExhausted = (max: number, waitedMs: number, waiting: number) =>
  new DatabaseFault('pool_exhausted', `all ${max} pooled connections stayed busy for ${waitedMs} ms (DB_POOL_TIMEOUT_MS); ${waiting} more requests waiting`, { max, waiting });

/** The detail a client gets when the pool is exhausted: the database is up, only busy. */
export const POOL_EXHAUSTED_DETAIL = 'Every database connection is busy (pool exhausted). Try again shortly.';

/** The 503 for a database that cannot be reached, logged as database_unreachable with the driver's code. */
export function databaseUnreachable(error: unknown): ApiError {
  const code = (error as { code?: unknown } | null)?.code;
  const fault = new DatabaseFault('database_unreachable', 'the database cannot be reached', typeof code === 'string' ? { driver_code: code } : undefined);
  return serviceUnavailable(undefined, 5, fault);
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN']);
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed|WebSocket|socket hang up|Cannot use a pool after calling end/i;

/** Whether an error means the server could not be reached or the connection broke (not a SQL error). */
export function isConnectionError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = String((error as { code?: unknown }).code ?? '');
  const message = String((error as { message?: unknown }).message ?? '');
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return true;
  return CONNECTION_CODES.has(code) || CONNECTION_MESSAGES.test(message);
}

/** Maps a database error to the ApiError a client should see, or undefined when it is not one. */
export function translateDbError(error: unknown): ApiError | undefined {
  if (!error || typeof error !== 'object' || error instanceof ApiError) return undefined;
  if (error instanceof DatabaseFault && error.code === 'pool_exhausted') return serviceUnavailable(POOL_EXHAUSTED_DETAIL, 1, error);
  const code = String((error as { code?: unknown }).code ?? '');
  if (code === '23505') return conflict();
  if (code === '23503' || code === '23514' || code === '22001' || code === '23502') {
    return validationError([{ location: 'body', path: '', message: 'violates a data constraint' }]);
  }
  // Class 22 (data exception: a malformed or out-of-range value, U+0000 in text) is the client's
  // value: validation should have refused it, and this is the second line of defence.
  if (code.length === 5 && code.startsWith('22')) {
    return malformedValue(error);
  }
  if (code === '57014') return serviceUnavailable('The database did not answer in time. Try again shortly.', 2, error);
  if (isConnectionError(error)) return databaseUnreachable(error);
  return undefined;
}
