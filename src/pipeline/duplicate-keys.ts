/**
 * Duplicate object keys in a JSON body (`{"text":123,"text":"ok"}`): JSON.parse keeps the last,
 * other parsers the first (RFC 8259 §4 leaves it open), so a body validated here could mean
 * something else to a server behind the gateway. The check is cheap on the common body: it counts
 * the keys JSON.parse kept and the `:` separators in the text (every `:` less those inside strings,
 * both counted with native indexOf), and only when they differ finds the duplicate's JSON pointer
 * with a second, exact pass (docs/gateway.md has the measured cost, bench/duplicate-keys.ts).
 */

/** How many `:` a string holds (native scans). */
function colonsIn(text: string): number {
  let count = 0;
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) count++;
  return count;
}

/**
 * How many object keys a parsed JSON value holds, at every depth, and — with `strings` — how many
 * `:` its strings (keys and values) hold; iterative, so any depth is safe.
 */
function tally(value: unknown, strings: boolean): { keys: number; colons: number } {
  let keys = 0;
  let colons = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (Array.isArray(item)) {
      for (const element of item) {
        if (typeof element === 'string') {
          if (strings) colons += colonsIn(element);
        } else if (element !== null && typeof element === 'object') pending.push(element);
      }
      continue;
    }
    for (const key in item as object) {
      keys++;
      const element = (item as Record<string, unknown>)[key];
      if (typeof element === 'string') {
        if (strings) colons += colonsIn(key) + colonsIn(element);
      } else {
        if (strings) colons += colonsIn(key);
        if (element !== null && typeof element === 'object') pending.push(element);
      }
    }
  }
  return { keys, colons };
}

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;

/** How many `:` of the JSON text stand outside strings: one per object member as written (a char loop beats indexOf hops here). */
function separatorsIn(text: string): number {
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === COLON) count++;
  }
  return count;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

interface Frame {
  readonly pointer: string;
  /** The keys seen so far, for an object; undefined for an array. */
  readonly keys: Set<string> | undefined;
  /** The array index, or the key being read, of the value now open. */
  index: number;
  key: string;
  expectingKey: boolean;
}

/** The JSON pointer of the first repeated key in valid JSON text (the second pass, only when one exists). */
function firstDuplicate(text: string): string | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const top = stack.at(-1);
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.keys && top.expectingKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return `${top.pointer}/${escapePointer(key)}`;
        top.keys.add(key);
        top.expectingKey = false;
        top.key = key;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      const pointer = top === undefined ? '' : `${top.pointer}/${top.keys ? escapePointer(top.key) : top.index}`;
      stack.push({ pointer, keys: c === '{' ? new Set() : undefined, index: 0, key: '', expectingKey: c === '{' });
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === ',' && top) {
      if (top.keys) top.expectingKey = true;
      else top.index++;
    }
  }
  return undefined;
}

/** The JSON pointer of a key that appears twice in one object of `text` (whose parsed value is `value`), or undefined. */
export function duplicateKey(text: string, value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const total = colonsIn(text);
  const { keys } = tally(value, false);
  // Every `:` of the text is a separator: as many as the keys kept means none was dropped.
  if (total === keys) return undefined;
  // Without `\u` escapes a string's `:` are the text's own, so the separators are what is left;
  // with them (`\u003a`) the text is scanned string-aware.
  const separators = text.includes('\\u') ? separatorsIn(text) : total - tally(value, true).colons;
  return separators === keys ? undefined : firstDuplicate(text);
}
