/**
 * Compiled validators reused from one contract generation to the next (live reload): a schema is
 * keyed by a digest of everything it checks — its own JSON and the JSON of every `$ref` target it
 * reaches, transitively — so an operation whose schemas did not change gets the function compiled
 * before, and a reload compiles only what changed. A schema that reaches anything located by
 * other means (`$id`, `$anchor`, dynamic refs, a ref outside the document) is never reused.
 * A compiled function keeps its Ajv (and that Ajv the whole schema copy) alive, so only one
 * generation lends its validators at a time: the first, until a generation compiles more than it
 * borrows, which then lends its own. At most one replaced generation's Ajv stays alive that way.
 */
import { createHash } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { SPEC_ID } from './ajv.js';
import { pointerTarget } from './refs.js';
import type { OpenApiDocument } from './spec.js';

/** Keywords that locate schemas other than by JSON pointer into the document. */
const LOCATING = /"\$(?:id|anchor|dynamicRef|dynamicAnchor|recursiveRef|recursiveAnchor|schema)"/;

const digestOf = (text: string) => createHash('sha1').update(text).digest('base64');

/** The document-relative pointer (`#/…`) of a `$ref`, or undefined when it points anywhere else. */
function internalPointer(ref: string): string | undefined {
  const pointer = ref.startsWith(`${SPEC_ID}#`) ? ref.slice(SPEC_ID.length) : ref;
  return pointer.startsWith('#/') ? pointer : undefined;
}

/** Every `$ref` string in a JSON value. */
function refsIn(value: unknown, into: string[]): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') into.push(item);
      else refsIn(item, into);
    }
  }
  return into;
}

/** Makes the reuse key of a schema compiled against `document` (the registered schema copy); undefined: never reuse it. */
export function reuseKeyer(document: OpenApiDocument, variant: string): (schema: object) => string | undefined {
  const targets = new Map<string, { digest: string; refs: string[] } | null>();
  const target = (pointer: string) => {
    let known = targets.get(pointer);
    if (known !== undefined) return known;
    const node = pointerTarget(document, pointer);
    const text = node === undefined ? undefined : JSON.stringify(node);
    known = text === undefined || LOCATING.test(text) ? null : { digest: digestOf(text), refs: refsIn(node, []) };
    targets.set(pointer, known);
    return known;
  };
  return (schema) => {
    const text = JSON.stringify(schema);
    if (LOCATING.test(text)) return undefined;
    const reached = new Map<string, string>();
    const pending = refsIn(schema, []);
    while (pending.length > 0) {
      const pointer = internalPointer(pending.pop()!);
      if (pointer === undefined) return undefined;
      if (reached.has(pointer)) continue;
      const found = target(pointer);
      if (found === null) return undefined;
      reached.set(pointer, found.digest);
      pending.push(...found.refs);
    }
    const closure = [...reached].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([pointer, digest]) => `${pointer} ${digest}`);
    return digestOf([variant, text, ...closure].join('\0'));
  };
}

/** The validators the lending generation compiled, by reuse key. */
let lender: Map<string, ValidateFunction> | undefined;

/** One generation's view of the reuse: borrow what is lent, keep what it compiles. */
export interface ValidatorReuse {
  /** The validator of an identical schema compiled before, or `compile()`'s. */
  compiled(schema: object, compile: () => ValidateFunction): ValidateFunction;
  /** Called once the generation compiled what it compiles before serving: it lends from then on when it compiled more than it borrowed. */
  settle(): void;
}

/** The reuse of one generation whose schemas are registered as `document`; `variant` names the Ajv settings they compile with. */
export function validatorReuse(document: OpenApiDocument, variant: string): ValidatorReuse {
  const keyOf = reuseKeyer(document, variant);
  const own = new Map<string, ValidateFunction>();
  let borrowed = 0;
  lender ??= own;
  return {
    compiled(schema, compile) {
      const key = keyOf(schema);
      if (key === undefined) return compile();
      const lent = lender!.get(key) ?? own.get(key);
      if (lent !== undefined) {
        if (lender !== own) borrowed++;
        return lent;
      }
      const validate = compile();
      own.set(key, validate);
      return validate;
    },
    settle() {
      if (lender !== own && own.size > borrowed) lender = own;
    },
  };
}
