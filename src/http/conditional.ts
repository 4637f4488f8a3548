/**
 * Conditional requests (RFC 9110 §13): a strong entity tag derived from the representation as
 * sent, and the If-None-Match (weak comparison) and If-Match (strong comparison) evaluations.
 * The spec's parameter pattern has already refused a malformed field with a 400.
 */
import { hash } from 'node:crypto';

/** An entity tag from a header field: its opaque value and whether it is weak (`W/`). */
interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

const TAG = /(W\/)?"([^"]*)"/g;

/**
 * The strong ETag of a JSON representation: a digest of exactly the bytes dispatch sends. The
 * one-shot `hash` makes no Hash object, which on a task's 200 bytes costs more than the digest.
 */
export function etagOf(representation: unknown): string {
  return `"${hash('sha256', JSON.stringify(representation), 'base64url').slice(0, 27)}"`;
}

/** Parses `*` or a list of entity tags; `*` matches any current representation. */
function parse(field: string): '*' | EntityTag[] {
  if (field.trim() === '*') return '*';
  return [...field.matchAll(TAG)].map((m) => ({ weak: m[1] !== undefined, opaque: m[2]! }));
}

const opaqueOf = (etag: string) => etag.slice(1, -1);

/** If-None-Match (§13.1.2): true when the field names the current tag (weak comparison), so the answer is 304. */
export function noneMatchHits(field: string | undefined, current: string): boolean {
  if (field === undefined) return false;
  const tags = parse(field);
  return tags === '*' || tags.some((tag) => tag.opaque === opaqueOf(current));
}

/** If-Match (§13.1.1): true when the field is absent, `*`, or names the current tag by strong comparison. */
export function matchHolds(field: string | undefined, current: string): boolean {
  if (field === undefined) return true;
  const tags = parse(field);
  return tags === '*' || tags.some((tag) => !tag.weak && tag.opaque === opaqueOf(current));
}
