/**
 * Applies a checked Overlay 1.0 document to an OpenAPI document, action by action, with an RFC 9535
 * JSONPath implementation (jsonpath-rfc9535; docs/contract.md says why). `update` is merged into
 * every selected object (objects recursively, arrays concatenated, anything else replaced) or
 * appended to every selected array (an array `update` appends its items); `remove: true` deletes
 * every selected node from its parent. A target that selects nothing is a warning, not a failure.
 */
import { exec } from 'jsonpath-rfc9535';
import { DocumentLoadError } from './fetch-text.js';
import type { Overlay, OverlayAction } from './overlay-check.js';

type Key = string | number;
type Container = Record<string, unknown> | unknown[];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A key of a normalized path as it is in the document: jsonpath-rfc9535 reports `it's` as `it\'s`. */
function unescapedKey(key: Key): Key {
  if (typeof key === 'number' || !key.includes('\\')) return key;
  const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', "'": "'", '\\': '\\', '/': '/' };
  return key.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, escape: string) => (escape.length === 5 ? String.fromCharCode(parseInt(escape.slice(1), 16)) : simple[escape] ?? escape));
}

/** `update` merged into `target`: objects key by key, arrays concatenated, anything else replaced by a copy. */
export function mergedValue(target: unknown, update: unknown): unknown {
  if (isObject(target) && isObject(update)) {
    for (const [key, value] of Object.entries(update)) target[key] = Object.hasOwn(target, key) ? mergedValue(target[key], value) : structuredClone(value);
    return target;
  }
  if (Array.isArray(target) && Array.isArray(update)) return [...target, ...structuredClone(update)];
  return structuredClone(update);
}

/** The selected nodes with their paths (keys as in the document), or a DocumentLoadError for a bad expression. */
function selected(document: unknown, action: OverlayAction, where: string): { value: unknown; path: Key[] }[] {
  const nodes: { value: unknown; path: Key[] }[] = [];
  try {
    exec(document as never, action.target, (value, path) => nodes.push({ value, path: path.map(unescapedKey) }));
  } catch (error) {
    throw new DocumentLoadError(`${where}: target is not a valid JSONPath expression: ${(error as Error).message.split('\n')[0]}`);
  }
  return nodes;
}

/** The node at path, which the query just found. */
const nodeAt = (document: unknown, path: readonly Key[]) => path.reduce<unknown>((node, key) => (node as Container)[key as never], document);

/** Paths in document order, numbers numerically; removing in the reverse order keeps every later path valid. */
function compared(a: readonly Key[], b: readonly Key[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    if (a[i] === b[i]) continue;
    return typeof a[i] === 'number' && typeof b[i] === 'number' ? (a[i] as number) - (b[i] as number) : String(a[i]) < String(b[i]) ? -1 : 1;
  }
  return a.length - b.length;
}

function removeAll(document: unknown, paths: Key[][], where: string): void {
  if (paths.some((path) => path.length === 0)) throw new DocumentLoadError(`${where}: cannot remove the whole document`);
  const unique = [...new Map(paths.map((path) => [JSON.stringify(path), path])).values()].sort(compared).reverse();
  for (const path of unique) {
    const parent = nodeAt(document, path.slice(0, -1)) as Container;
    const key = path.at(-1)!;
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  }
}

function updateAll(nodes: { value: unknown; path: Key[] }[], update: unknown, where: string): void {
  for (const { value, path } of nodes) {
    if (Array.isArray(value)) {
      value.push(...(Array.isArray(update) ? structuredClone(update) : [structuredClone(update)]));
    } else if (isObject(value)) {
      if (!isObject(update)) throw new DocumentLoadError(`${where}: update must be an object to merge into the selected object`);
      mergedValue(value, update);
    } else {
      throw new DocumentLoadError(`${where}: selects ${JSON.stringify(value)} at ${JSON.stringify(path)}, not an object or array; select the object that holds it`);
    }
  }
}

/** The document with the overlay's actions applied in order (the input is not changed); `warn` hears each target that selects nothing. */
export function applyOverlay<T extends Record<string, unknown>>(document: T, overlay: Overlay, name: string, warn: (message: string) => void): T {
  const result = structuredClone(document);
  overlay.actions.forEach((action, index) => {
    const where = `${name}: action ${index + 1} (${action.target})`;
    const nodes = selected(result, action, where);
    if (nodes.length === 0) return warn(`${where} selects nothing in the document; skipped`);
    if (action.remove === true) removeAll(result, nodes.map((node) => node.path), where);
    else updateAll(nodes, action.update, where);
  });
  return result;
}
