/**
 * Translates driver errors at the edge: SQLSTATEs and connection failures become ApiErrors,
 * and no SQL or driver text ever reaches a client.
 */
import { ApiError, conflict, serviceUnavailable, validationError } from '../errors.js';

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
  const code = String((error as { code?: unknown }).code ?? '');
  if (code === '23505') return conflict();
  if (code === '23503' || code === '23514' || code === '22001' || code === '23502') {
    return validationError([{ location: 'body', path: '', message: 'violates a data constraint' }]);
  }
  // Class 22 (data exception: a malformed or out-of-range value, U+0000 in text) is the client's
  // value: validation should have refused it, and this is the second line of defence.
  if (code.length === 5 && code.startsWith('22')) {
    return new ApiError(400, 'validation_error', 'A value in the request is malformed or out of range.', {}, undefined, { cause: error });
  }
  if (code === '57014') return serviceUnavailable('The database did not answer in time. Try again shortly.', 2, error);
  if (isConnectionError(error)) return serviceUnavailable(undefined, 5, error);
  return undefined;
}
