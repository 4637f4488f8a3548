/**
 * JSON pointers and `$ref`s for the breaking-change check: every node is carried with its
 * pointer, and following a `$ref` moves the pointer to the target, so a finding names the place
 * the change really is (often under `components`).
 */
import { MAX_REF_HOPS, pointerTarget } from '../contract/refs.js';
import type { OpenApiDocument } from '../contract/spec.js';

/** A node of a document and its JSON pointer (RFC 6901, without the leading `#`). */
export interface Located {
  readonly node: any;
  readonly pointer: string;
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** The pointer of a child: `child('/paths', '/users')` is `/paths/~1users`. */
export const child = (pointer: string, ...segments: (string | number)[]) =>
  segments.reduce<string>((at, segment) => `${at}/${escape(String(segment))}`, pointer);

/** The pointer a local `$ref` names (`#/components/schemas/User` → `/components/schemas/User`). */
function refPointer(ref: string): string {
  try {
    return decodeURIComponent(ref.slice(1));
  } catch {
    return ref.slice(1);
  }
}

/** Whether a node is a `$ref` object. */
export const isRef = (node: unknown): node is { $ref: string } => typeof (node as any)?.$ref === 'string';

// Each document's references, resolved once: a large document names the same components thousands of times.
const targets = new WeakMap<OpenApiDocument, Map<string, unknown>>();

function targetOf(document: OpenApiDocument, ref: string): unknown {
  let known = targets.get(document);
  if (!known) targets.set(document, (known = new Map()));
  if (known.has(ref)) return known.get(ref);
  const target = ref.startsWith('#') ? pointerTarget(document, ref) : undefined;
  known.set(ref, target);
  return target;
}

/**
 * Follows `$ref`s from a node to what they name (at most MAX_REF_HOPS, so a reference cycle ends),
 * with src/contract/refs.ts's pointerTarget; an external or unresolvable reference is treated as
 * an empty object (anything goes). Unlike followRefs, each target is looked up once per document.
 */
export function resolve(document: OpenApiDocument, at: Located): Located {
  let current = at;
  for (let hops = 0; hops < MAX_REF_HOPS && isRef(current.node); hops++) {
    const ref = current.node.$ref;
    const target = targetOf(document, ref);
    if (target === undefined) return { node: {}, pointer: current.pointer };
    current = { node: target, pointer: refPointer(ref) };
  }
  return isRef(current.node) ? { node: {}, pointer: current.pointer } : current;
}

/** The last segment of a pointer, unescaped: the name a component is known by. */
export function lastSegment(pointer: string): string {
  const raw = pointer.slice(pointer.lastIndexOf('/') + 1);
  return raw.replace(/~1/g, '/').replace(/~0/g, '~');
}
