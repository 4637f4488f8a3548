/**
 * The opaque `cursor` of GET /api/tasks: the last row's creation time and id, base64url JSON.
 * Only what encodeCursor issues decodes: the time as toISOString writes it (years 0001–9999), a
 * lower-case uuid, and the exact bytes encodeCursor would produce for them — so nothing Postgres
 * would refuse (`"1"`, `"March 7"`, `"+275760-09-13T00:00:00.000Z"`) ever reaches a query.
 */
import { validationError } from '../errors.js';
import type { PageKey } from '../db/tasks.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MILLIS = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Encodes where the next page starts. */
export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString('base64url');
}

/** Whether a decoded cursor holds what encodeCursor writes: [toISOString time, lower-case uuid]. */
const wellFormed = (value: unknown): value is [string, string] =>
  Array.isArray(value) &&
  value.length === 2 &&
  typeof value[0] === 'string' &&
  ISO_MILLIS.test(value[0]) &&
  new Date(value[0]).toISOString() === value[0] &&
  typeof value[1] === 'string' &&
  UUID.test(value[1]);

/** Decodes a cursor from a client; anything it did not get from us is a 400 on `cursor`. */
export function decodeCursor(cursor: string): PageKey {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (wellFormed(value)) {
      const key = { createdAt: value[0], id: value[1] };
      if (encodeCursor(key) === cursor) return key;
    }
  } catch {
    // fall through to the 400 below
  }
  throw validationError([{ location: 'query', path: 'cursor', message: 'is not a cursor this API issued' }]);
}
