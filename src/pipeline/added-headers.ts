/**
 * Every response header specgate itself may add, whatever the document declares: the CORS stage
 * exposes each of them to browsers (Access-Control-Expose-Headers), so a cross-origin client can
 * read a mock's RateLimit or a 503's Retry-After on a spec that never mentions them. Add a header
 * here when a stage starts sending it (docs/cors.md).
 */
import { ERROR_HEADERS } from '../errors.js';

/** The headers specgate adds to answers: request id, rate limits, idempotent replays, and the error catalogue's. */
export const ADDED_RESPONSE_HEADERS: readonly string[] = Object.freeze([
  'X-Request-ID',
  'RateLimit',
  'RateLimit-Policy',
  'Idempotent-Replayed',
  ...ERROR_HEADERS,
]);
