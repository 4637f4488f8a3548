/**
 * The one `$ref` walker: a local JSON pointer resolved per RFC 6901, a chain of `$ref`s followed
 * to its end (leniently, or refusing a broken one), and the canonical pointer of a schema that is
 * nothing but a `$ref`. The validators, the mock and the spec index all resolve through it.
 */
import type { OpenApiDocument } from './spec.js';

/** A value in the document and the JSON pointer (without `#`) where it lives. */
export interface Located {
  readonly value: any;
  readonly pointer: string;
}

/** The most `$ref`s followed in one chain: a longer (or cyclic) chain stops where it is. */
export const MAX_REF_HOPS = 20;

/**
 * The value an internal `$ref` (`#/…`) points at, per RFC 6901 inside a URI fragment:
 * percent-decoding first, then `~1` → `/` and `~0` → `~`; undefined when nothing is there.
 */
export function pointerTarget(document: OpenApiDocument, ref: string): any {
  if (ref === '#') return document;
  if (!ref.startsWith('#/')) return undefined;
  let node: any = document;
  for (const raw of ref.slice(2).split('/')) {
    let segment = raw;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      // A lone `%` is taken literally.
    }
    node = node?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) return undefined;
  }
  return node;
}

/** Follows an internal `$ref` (`#/components/...`) one step to its target; anything else is returned as is. */
export function resolveRef(document: OpenApiDocument, item: any): any {
  if (typeof item?.$ref !== 'string' || !item.$ref.startsWith('#')) return item;
  return pointerTarget(document, item.$ref);
}

function walk(document: OpenApiDocument, start: Located, broken: (ref: string, at: string) => Located): Located {
  let current = start;
  for (let hops = 0; typeof current.value?.$ref === 'string' && hops < MAX_REF_HOPS; hops++) {
    const ref: string = current.value.$ref;
    const target = pointerTarget(document, ref);
    if (target === undefined) return broken(ref, current.pointer);
    current = { value: target, pointer: ref.slice(1) };
  }
  return current;
}

/** Follows a chain of `$ref`s from `value` at `pointer`; the value is undefined where a `$ref` leads nowhere. */
export function followRefs(document: OpenApiDocument, value: any, pointer: string): Located {
  return walk(document, { value, pointer }, (ref) => ({ value: undefined, pointer: ref.slice(1) }));
}

/** Follows a chain of `$ref`s like followRefs, but throws on a remote or unresolvable `$ref` (naming where it is). */
export function followRefsStrictly(document: OpenApiDocument, value: any, pointer: string): Located {
  return walk(document, { value, pointer }, (ref, at) => {
    throw new Error(ref.startsWith('#') ? `Unresolvable $ref ${ref} at ${at}` : `Only local $refs are supported (found ${ref} at ${at})`);
  });
}

/**
 * Where a schema really lives: through every schema that is nothing but a local `$ref`, so that
 * operations referring to one component compile it once (a `$ref` with siblings stays put).
 */
export function canonicalPointer(document: OpenApiDocument, schema: any, pointer: string): string {
  for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
    const ref = schema?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#') || Object.keys(schema).length !== 1) return pointer;
    const target = pointerTarget(document, ref);
    if (target === undefined) return pointer;
    schema = target;
    pointer = ref.slice(1);
  }
  return pointer;
}
