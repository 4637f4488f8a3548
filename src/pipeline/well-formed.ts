/**
 * Well-formed Unicode checks: a JavaScript string can hold a lone UTF-16 surrogate (from a JSON
 * `\uD800` escape, or a token claim), which Postgres and every UTF-8 encoder silently turn into
 * U+FFFD — so two different inputs would become one. These are refused instead.
 */

/** Whether a string is well-formed UTF-16 (no lone surrogate). */
export const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/** Whether any string (or object key) in a parsed JSON value holds a lone surrogate; iterative, so any depth is safe. */
export function hasLoneSurrogate(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (!isWellFormed(item)) return true;
    } else if (Array.isArray(item)) {
      for (const element of item) pending.push(element);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, element] of Object.entries(item)) {
        if (!isWellFormed(key)) return true;
        pending.push(element);
      }
    }
  }
  return false;
}
