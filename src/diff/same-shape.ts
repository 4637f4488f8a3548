/**
 * A fast path for the schema comparison: two schemas written the same way, `$ref` for `$ref`, can
 * differ only inside what their references name. Checking that allocates nothing, and in two
 * versions of a large document almost every schema is written the same way.
 */

/**
 * Whether two JSON values are equal, a `$ref` object counting as equal to one with the same `$ref`
 * without looking further; the pairs of such references are pushed to `refs`.
 */
export function sameShape(a: unknown, b: unknown, refs: [unknown, unknown][]): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameShape(a[i], b[i], refs)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  if (typeof left.$ref === 'string' || typeof right.$ref === 'string') {
    if (left.$ref !== right.$ref) return false;
    refs.push([a, b]);
    return true;
  }
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(right, key) || !sameShape(left[key], right[key], refs)) return false;
  }
  return true;
}
