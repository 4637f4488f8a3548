/**
 * Objects keyed by status codes ('200', '404'). V8 stores integer-like keys of a plain object as
 * array elements sized to the largest key, so a `{200, 404}` built key by key holds a 623-slot
 * array: 5 KB per responses map, 50 MB for a document of 5,000 operations. Starting the object in
 * dictionary-elements mode keeps it as small as its keys.
 */

/** An empty object whose integer-like keys go to a dictionary (it stays one), not to a holey array. */
export function statusMap<T>(): Record<string, T> {
  const map: Record<string, T> = {};
  // The largest array index, far past any array: V8 switches the object to dictionary elements.
  map[4294967294] = undefined as T;
  delete map[4294967294];
  return map;
}

/** Whether a key is one V8 stores as an array element (a canonical integer below 2³² − 1). */
export const isIndexKey = (key: string) => /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4294967295;

/** `Object.fromEntries` that keeps integer-like keys in a dictionary (see statusMap). */
export function statusMapOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const map = statusMap<T>();
  for (const [key, value] of entries) map[key] = value;
  return map;
}
