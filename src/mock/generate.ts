/**
 * Makes a value from a JSON schema of an OpenAPI document, following `$ref`s lazily in the
 * document itself: each nested level costs one step of a fixed budget and a reference already
 * being expanded (a cycle) stops there, so a recursive or huge schema gives a small value in
 * bounded time and never blocks the event loop for long. The value aims to be schema-valid:
 * declared types, formats, bounds, `required` (also in untyped schemas), `allOf` merged, the
 * first `oneOf`/`anyOf` branch (or the one `branchShift` places on), and schema-level examples only when their JSON type fits.
 * Strings and numbers come from src/mock/scalars.ts (pattern, format, plausible by property name),
 * drawn from a generator seeded by `seed`: the same seed gives the same value.
 */
import { pointerTarget } from '../contract/refs.js';
import type { OpenApiDocument } from '../contract/spec.js';
import { seeded } from './random.js';
import { numberFor, stringFor } from './scalars.js';

/** How a value is generated. */
export interface GenerateOptions {
  /** The seed of the value's random choices (1 by default): the same seed, the same value. */
  readonly seed?: number;
  /** Use the schemas' own `example`/`examples`/`default` where their type fits (true by default; false for `Prefer: dynamic=true`). */
  readonly examples?: boolean;
  /** The name the value goes by (a property, a header), for a plausible value at the top level. */
  readonly name?: string;
  /** Which `oneOf`/`anyOf` branch is tried first: the first (0, the default) or the one this many places on. */
  readonly branchShift?: number;
}

type Schema = Record<string, any>;

/** How deep optional properties are still filled in; required ones go down to MAX_DEPTH. */
const OPTIONAL_DEPTH = 3;
const MAX_DEPTH = 12;

const typesOf = (schema: Schema): string[] => (Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : []);

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether an example's JSON type is one the schema allows (a cheap guard against stale examples). */
function fits(schema: Schema, value: unknown): boolean {
  const types = typesOf(schema);
  if (types.length === 0) return true;
  const actual = jsonType(value);
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

/** Keywords that say something about a value's type or shape (a part of `allOf` with none of them adds nothing). */
const SHAPING = ['$ref', 'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'format', 'pattern', 'minimum', 'maximum', 'allOf', 'oneOf', 'anyOf'];
const constrains = (schema: unknown) => schema !== null && typeof schema === 'object' && SHAPING.some((k) => k in schema);

function inferType(schema: Schema): string {
  const types = typesOf(schema).filter((t) => t !== 'null');
  if (types[0]) return types[0];
  if (schema.properties || schema.required || schema.additionalProperties) return 'object';
  if (schema.items) return 'array';
  if (typeof schema.minimum === 'number' || typeof schema.maximum === 'number') return 'number';
  if (typesOf(schema).includes('null')) return 'null';
  return 'string';
}

/** Makes one value for `schema`, resolving its `$ref`s in `document`. */
export function generate(document: OpenApiDocument, schema: unknown, { seed = 1, examples = true, name: rootName, branchShift = 0 }: GenerateOptions = {}): unknown {
  let budget = 5_000;
  const random = seeded(seed);
  const walk = (raw: unknown, depth: number, active: ReadonlySet<string>, name?: string): unknown => {
    budget -= 1;
    let node = raw as Schema;
    let refs = active;
    for (let hops = 0; node && typeof node.$ref === 'string' && hops < 20; hops++) {
      if (refs.has(node.$ref)) return undefined;
      refs = new Set([...refs, node.$ref]);
      const { $ref, ...siblings } = node;
      const target = pointerTarget(document, $ref);
      node = Object.keys(siblings).length > 0 && target && typeof target === 'object' ? { ...target, ...siblings } : target;
    }
    const resolved: unknown = node;
    if (resolved === true || resolved === undefined || resolved === null) return stringFor({}, random, name);
    if (typeof resolved !== 'object') return undefined;
    if (node.const !== undefined) return node.const;
    if (examples && node.example !== undefined && fits(node, node.example)) return node.example;
    if (examples && Array.isArray(node.examples) && node.examples.length > 0 && fits(node, node.examples[0])) return node.examples[0];
    if (examples && node.default !== undefined && fits(node, node.default)) return node.default;
    if (Array.isArray(node.enum) && node.enum.length > 0) {
      const values = node.enum.filter((v: unknown) => v !== null);
      return values.length === 0 ? node.enum[0] : random.pick(values);
    }
    const exhausted = budget <= 0 || depth > MAX_DEPTH;
    if (Array.isArray(node.allOf) && node.allOf.length > 0 && !exhausted) {
      const { allOf, ...rest } = node;
      const parts = [rest, ...allOf].filter(constrains).map((part) => walk(part, depth, refs, name));
      const defined = parts.filter((p) => p !== undefined);
      const objects = defined.filter((p): p is Record<string, unknown> => jsonType(p) === 'object');
      if (parts.length > 0 && defined.length === 0) return undefined;
      if (defined.length > 0) return objects.length > 0 && objects.length === defined.length ? Object.assign({}, ...objects) : defined[0];
    }
    const branches = node.oneOf ?? node.anyOf;
    if (Array.isArray(branches) && branches.length > 0 && !node.properties && !exhausted) {
      for (let i = 0; i < branches.length; i++) {
        const value = walk(branches[(i + branchShift) % branches.length], depth, refs, name);
        if (value !== undefined) return value;
      }
    }
    const type = inferType(node);
    if (type === 'object') {
      const out: Record<string, unknown> = {};
      if (exhausted) return out;
      const required = new Set<string>(Array.isArray(node.required) ? node.required : []);
      for (const [key, property] of Object.entries<unknown>(node.properties ?? {})) {
        if (!required.has(key) && (depth >= OPTIONAL_DEPTH || budget <= 0)) continue;
        const value = walk(property, depth + 1, refs, key);
        if (value !== undefined) out[key] = value;
      }
      for (const key of required) if (!(key in out)) out[key] = walk(node.additionalProperties ?? {}, depth + 1, refs, key) ?? stringFor({}, random, key);
      return out;
    }
    if (type === 'array') {
      if (exhausted || node.items === undefined) return [];
      const count = Math.min(Math.max(typeof node.minItems === 'number' ? node.minItems : 1, 1), 10);
      // Items of a list are named after it in the singular (`emails` → `email`), for plausible strings.
      const itemName = name?.replace(/s$/, '');
      const items: unknown[] = [];
      // uniqueItems: a repeated item is drawn again, a few times at most.
      for (let attempt = 0; items.length < count && attempt < count * 5; attempt++) {
        const item = walk(node.items, depth + 1, refs, itemName);
        if (item === undefined) return [];
        if (node.uniqueItems !== true || !items.some((seen) => JSON.stringify(seen) === JSON.stringify(item))) items.push(item);
      }
      return items;
    }
    if (type === 'integer') return numberFor(node, true, random, name);
    if (type === 'number') return numberFor(node, false, random, name);
    if (type === 'boolean') return examples ? true : random.next() < 0.5;
    if (type === 'null') return null;
    return stringFor(node, random, name);
  };
  return walk(schema, 0, new Set(), rootName);
}
