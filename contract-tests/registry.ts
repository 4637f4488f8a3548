/**
 * One schema registry per document, the very one the pipeline and the mock use
 * (src/contract/schema-registry.ts): the document's schema copy, normalised by the product's
 * OpenAPI 3.0 normaliser without examples or `x-` extensions (so an `$id` inside an example never
 * reaches Ajv; a reused real `$id` falls back to a copy without ids), registered whole in the
 * product's Ajv, so every schema is compiled by its JSON pointer and cyclic `$ref`s resolve;
 * nothing is ever fully dereferenced. Examples, which the copy leaves out, are read from the
 * document as loaded, at the same pointer.
 */
import type { ValidateFunction } from 'ajv';
import { createAjv, pointerSegment, SPEC_ID } from '../src/contract/ajv.js';
import { unthrowing } from '../src/contract/bounded-validator.js';
import { schemaDocument } from '../src/contract/openapi30.js';
import { schemaRegistry, type SchemaRegistry as SharedRegistry } from '../src/contract/schema-registry.js';
import { pointerTarget } from '../src/contract/refs.js';
import type { OpenApiDocument } from '../src/contract/spec.js';

/** A schema the runner cannot use (it does not compile, or no value can be drawn from it), with where it is. */
export class SchemaProblem extends Error {
  constructor(
    readonly location: string,
    readonly reason: string,
  ) {
    super(`${location}: ${reason}`);
  }
}

const registries = new WeakMap<object, SchemaRegistry>();
const SKIPPED_KEYS = new Set(['example', 'examples', 'x-examples']);

/** Decodes one JSON-pointer segment of a URI fragment (`%7B`, `~1`, `~0`). */
const decodeSegment = (segment: string) => {
  let text = segment;
  try {
    text = decodeURIComponent(segment);
  } catch {
    // a stray % stays as written
  }
  return text.replace(/~1/g, '/').replace(/~0/g, '~');
};

/** The normalised document, its Ajv and the pointer of every object in it. */
export class SchemaRegistry {
  readonly document: OpenApiDocument;
  /** Why the document's schemas were registered without their `$id`s, when they had to be (a warning). */
  readonly droppedIds: string | undefined;
  private readonly shared: SharedRegistry;
  private readonly raw: OpenApiDocument;
  private readonly pointers = new WeakMap<object, string>();
  private readonly compiled = new WeakMap<object, ValidateFunction | SchemaProblem>();

  constructor(raw: OpenApiDocument) {
    let shared: SharedRegistry;
    try {
      shared = schemaRegistry(raw);
    } catch (error) {
      // Even the copy without ids is refused: every schema then fails to compile, each with its location.
      shared = { ajv: createAjv({ openapi: raw.openapi } as OpenApiDocument), document: schemaDocument(raw, { forAjv: true, dropIds: true }), droppedIds: (error as Error).message.split('\n')[0] };
    }
    this.raw = raw;
    this.document = shared.document;
    this.shared = shared;
    this.droppedIds = shared.droppedIds;
    this.index(this.document, '#');
  }

  /** The registry that owns a schema object, when it comes from a loaded document. */
  static of(schema: object): SchemaRegistry | undefined {
    return registries.get(schema);
  }

  private index(root: unknown, rootPointer: string): void {
    const stack: [unknown, string][] = [[root, rootPointer]];
    while (stack.length > 0) {
      const [node, pointer] = stack.pop()!;
      if (!node || typeof node !== 'object' || this.pointers.has(node)) continue;
      this.pointers.set(node, pointer);
      registries.set(node, this);
      for (const [key, child] of Object.entries(node)) {
        if (!SKIPPED_KEYS.has(key) && child && typeof child === 'object') stack.push([child, `${pointer}/${pointerSegment(key)}`]);
      }
    }
  }

  /** The object as the loaded document has it (examples and extensions included), at the pointer of `node`. */
  original<T = any>(node: T): T | undefined {
    const pointer = node && typeof node === 'object' ? this.pointers.get(node) : undefined;
    return pointer === undefined ? undefined : pointerTarget(this.raw, pointer);
  }

  /** What an internal `$ref` names in the document as loaded (where `components.examples` still are), or undefined. */
  originalAt(ref: string): any {
    return pointerTarget(this.raw, ref);
  }

  /** Where an object lives in the document (`#/components/schemas/Thing`), or "(generated)". */
  pointerOf(node: object): string {
    return this.pointers.get(node) ?? '(generated)';
  }

  /** Follows internal `$ref`s (chains too) to the object they name; throws a SchemaProblem when one cannot be followed. */
  resolve<T = any>(node: T, from = 'document'): T {
    let current: any = node;
    for (let hops = 0; current && typeof current === 'object' && typeof current.$ref === 'string'; hops += 1) {
      const ref: string = current.$ref;
      if (hops > 20) throw new SchemaProblem(this.pointerOf(node as object), `$ref chain "${ref}" does not end`);
      if (!ref.startsWith('#')) throw new SchemaProblem(this.pointerOf(current), `external $ref "${ref}" is not followed (bundle the document first)`);
      const target = ref.slice(1).split('/').slice(1).map(decodeSegment).reduce<any>((o, k) => (o && typeof o === 'object' ? o[k] : undefined), this.document);
      if (target === undefined) throw new SchemaProblem(this.pointerOf(current), `$ref "${ref}" names nothing in the ${from}`);
      current = target;
    }
    return current as T;
  }

  /** The compiled validator of a schema object of this document (by pointer, so `$ref`s resolve). */
  validator(schema: object): ValidateFunction {
    let entry = this.compiled.get(schema);
    if (!entry) {
      const pointer = this.pointers.get(schema);
      try {
        // The shared Ajv is bounded (it stops at 1,000 violations): a run cut short counts as invalid.
        entry = unthrowing(
          pointer
            ? this.shared.ajv.compile({ $ref: `${SPEC_ID}${pointer.split('/').map((s, i) => (i === 0 ? s : encodeURIComponent(s).replace(/%7E/gi, '~'))).join('/')}` })
            : this.shared.ajv.compile(schema),
        );
      } catch (error) {
        entry = new SchemaProblem(pointer ?? '(generated)', `the schema does not compile: ${(error as Error).message}`);
      }
      this.compiled.set(schema, entry);
    }
    if (entry instanceof SchemaProblem) throw entry;
    return entry;
  }
}
