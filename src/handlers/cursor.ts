/** The opaque `cursor` of GET /api/tasks: the last row's creation time and id, base64url JSON. */
import { validationError } from '../errors.js';
import type { PageKey } from '../db/tasks.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Encodes where the next page starts. */
export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString('base64url');
}

/** Decodes a cursor from a client; anything it did not get from us is a 400 on `cursor`. */
export function decodeCursor(cursor: string): PageKey {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [createdAt, id] = value;
      if (typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) && typeof id === 'string' && UUID.test(id)) {
        return { createdAt, id };
      }
    }
  } catch {
    // fall through to the 400 below
  }
  throw validationError([{ location: 'query', path: 'cursor', message: 'is not a cursor this API issued' }]);
}
