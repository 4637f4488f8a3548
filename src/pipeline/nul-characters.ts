/**
 * Finds U+0000 in request data. JSON and percent-encoding can carry it (`\u0000`, `%00`), but no
 * Postgres text or jsonb value can hold it, so the validate stage refuses it in every string —
 * property names included — whatever the schema says, before any handler or database sees it.
 */

/** The issue message for a string holding U+0000. */
export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

interface Frame {
  readonly value: unknown;
  readonly parent: Frame | undefined;
  readonly key: string | number;
}

function segmentsOf(frame: Frame): string[] {
  const segments: string[] = [];
  for (let at: Frame | undefined = frame; at?.parent !== undefined; at = at.parent) segments.push(String(at.key));
  return segments.reverse();
}

/** Whether any string in `root`, value or property name, holds U+0000: the clean case's quick walk, with no paths kept. */
export function holdsNul(root: unknown): boolean {
  if (typeof root === 'string') return root.includes('\u0000');
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push(value[i]);
    } else if (value !== null && typeof value === 'object') {
      for (const key in value) {
        if (key.includes('\u0000')) return true;
        stack.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

/**
 * The paths (lists of property names and indexes) of the strings, values or keys, that hold
 * U+0000, at most `limit` of them (the caller sorts them). Iterative, so any nesting depth is safe.
 */
export function nulCharacterPaths(root: unknown, limit: number): string[][] {
  const found: string[][] = [];
  const stack: Frame[] = [{ value: root, parent: undefined, key: '' }];
  while (stack.length > 0 && found.length < limit) {
    const frame = stack.pop()!;
    const value = frame.value;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) found.push(segmentsOf(frame));
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], parent: frame, key: i });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const child: Frame = { value: (value as Record<string, unknown>)[keys[i]!], parent: frame, key: keys[i]! };
        if (keys[i]!.includes('\u0000')) found.push(segmentsOf(child));
        stack.push(child);
      }
    }
  }
  return found.slice(0, limit);
}
