/**
 * Well-formed Unicode checks: a JavaScript string can hold a lone UTF-16 surrogate (from a JSON
 * `\uD800` escape, or a token claim), which Postgres and every UTF-8 encoder silently turn into
 * U+FFFD — so two different inputs would become one. These are refused instead.
 */

/** Whether a string is well-formed UTF-16 (no lone surrogate). */
export const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/** Whether any string (or object key) in a parsed JSON value holds a lone surrogate. */
export function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return !isWellFormed(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  for (const [key, item] of Object.entries(value)) if (!isWellFormed(key) || hasLoneSurrogate(item)) return true;
  return false;
}
