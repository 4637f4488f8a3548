/**
 * Pairs the operations of two documents by method and path template, the way a client calls
 * them: `/users/{id}` and `/users/{userId}` are the same path (a renamed path parameter changes no
 * URL). What is left unpaired is a removed or added operation.
 */
import { HTTP_METHODS, type OpenApiDocument } from '../contract/spec.js';
import type { Change } from './checks.js';
import { child } from './refs.js';

/** One operation of a document, with what the checks need to find around it. */
export interface OperationAt {
  readonly method: string;
  readonly path: string;
  /** The path template with parameter names blanked: `/users/{}`. */
  readonly template: string;
  readonly item: Record<string, any>;
  readonly operation: Record<string, any>;
  readonly itemPointer: string;
  readonly pointer: string;
  readonly operationId: string | undefined;
}

/** The operations of a document that the check pairs, and the removed and added ones. */
export interface OperationPairs {
  readonly pairs: readonly (readonly [OperationAt, OperationAt])[];
  readonly removed: readonly OperationAt[];
  readonly added: readonly OperationAt[];
}

/** A path with its parameter names blanked, so a renamed path parameter matches. */
export const templateOf = (path: string) => path.replace(/\{[^}]*\}/g, '{}');

/** Every operation of a document (path items already inline), by `METHOD template`. */
export function operationsOf(document: OpenApiDocument): Map<string, OperationAt> {
  const found = new Map<string, OperationAt>();
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths ?? {})) {
    if (typeof item !== 'object' || item === null) continue;
    const itemPointer = child('', 'paths', path);
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (typeof operation !== 'object' || operation === null) continue;
      const template = templateOf(path);
      found.set(`${method} ${template}`, {
        method,
        path,
        template,
        item,
        operation,
        itemPointer,
        pointer: child(itemPointer, method),
        operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined,
      });
    }
  }
  return found;
}

/** Pairs the operations of the old and new documents. */
export function pairOperations(before: OpenApiDocument, after: OpenApiDocument): OperationPairs {
  const old = operationsOf(before);
  const neu = operationsOf(after);
  const pairs: [OperationAt, OperationAt][] = [];
  const removed: OperationAt[] = [];
  for (const [key, was] of old) {
    const now = neu.get(key);
    if (now) pairs.push([was, now]);
    else removed.push(was);
  }
  const added = [...neu].filter(([key]) => !old.has(key)).map(([, now]) => now);
  return { pairs, removed, added };
}

/** What became of a removed operation: its whole path is gone, or only its method. */
export function removalOf(was: OperationAt, after: OpenApiDocument, movedTo: OperationAt | undefined): Change {
  const pathRemains = Object.keys(after.paths ?? {}).some((path) => templateOf(path) === was.template);
  const moved = movedTo ? ` (operationId ${was.operationId} is now ${movedTo.method.toUpperCase()} ${movedTo.path})` : '';
  return pathRemains
    ? { check: 'method-removed', message: `${was.method.toUpperCase()} is no longer allowed on ${was.path}${moved}`, old: was.pointer }
    : { check: 'path-removed', message: `path ${was.path} was removed${moved}`, old: was.pointer };
}

/** Changes to a paired operation itself: its operationId, its deprecation. */
export function operationChanges(was: OperationAt, now: OperationAt): Change[] {
  const changes: Change[] = [];
  if (was.operationId !== now.operationId && was.operationId !== undefined) {
    changes.push({ check: 'operation-id-changed', message: `operationId ${was.operationId} → ${now.operationId ?? 'none'}`, old: child(was.pointer, 'operationId'), new: now.operationId === undefined ? now.pointer : child(now.pointer, 'operationId') });
  }
  if (now.operation.deprecated === true && was.operation.deprecated !== true) {
    changes.push({ check: 'operation-deprecated', message: 'now deprecated', old: was.pointer, new: child(now.pointer, 'deprecated') });
  }
  return changes;
}
