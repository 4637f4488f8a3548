/**
 * One schema as the breaking-change check compares it: `$ref`s followed, `allOf` merged
 * (properties and `required` united, the first type, format and enum kept), OpenAPI 3.0
 * `nullable` read as the type `null`, 3.1 `const` as a one-value enum.
 */
import type { OpenApiDocument } from '../contract/spec.js';
import { child, resolve, type Located } from './refs.js';

/** The numeric and textual bounds a request value can be held to. */
export const BOUNDS = ['maxLength', 'minLength', 'maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'maxItems', 'minItems', 'maxProperties', 'minProperties', 'pattern', 'multipleOf', 'uniqueItems'] as const;

/** What the check reads of a schema. */
export interface SchemaView {
  readonly pointer: string;
  /** The JSON types allowed; undefined: any. */
  readonly types: ReadonlySet<string> | undefined;
  readonly format: string | undefined;
  readonly enum: readonly unknown[] | undefined;
  readonly properties: ReadonlyMap<string, Located>;
  readonly required: ReadonlySet<string>;
  readonly items: Located | undefined;
  /** `false` when closed, a schema when typed, undefined when open. */
  readonly additional: Located | false | undefined;
  readonly oneOf: readonly Located[];
  readonly anyOf: readonly Located[];
  readonly bounds: Readonly<Record<string, unknown>>;
  readonly readOnly: boolean;
  readonly writeOnly: boolean;
}

function typesOf(schema: any): Set<string> | undefined {
  const declared = schema.type;
  if (declared === undefined) return schema.nullable === true ? undefined : inferred(schema);
  const types = new Set<string>(Array.isArray(declared) ? declared.map(String) : [String(declared)]);
  if (schema.nullable === true) types.add('null');
  return types;
}

// An untyped schema with properties is an object to every validator a client uses in practice.
const inferred = (schema: any) => (schema.properties !== undefined ? new Set(['object']) : undefined);

/** The schema at `at`, followed and merged into one view (reference cycles in `allOf` are cut). */
export function schemaView(document: OpenApiDocument, at: Located): SchemaView {
  const root = resolve(document, at);
  const properties = new Map<string, Located>();
  const required = new Set<string>();
  const bounds: Record<string, unknown> = {};
  let types: Set<string> | undefined;
  let format: string | undefined;
  let values: unknown[] | undefined;
  let items: Located | undefined;
  let additional: Located | false | undefined;
  let oneOf: Located[] = [];
  let anyOf: Located[] = [];
  const seen = new Set<string>();
  const merge = (here: Located) => {
    if (seen.has(here.pointer) || typeof here.node !== 'object' || here.node === null) return;
    seen.add(here.pointer);
    const schema = here.node;
    types ??= typesOf(schema);
    format ??= typeof schema.format === 'string' ? schema.format : undefined;
    values ??= Array.isArray(schema.enum) ? schema.enum : schema.const !== undefined ? [schema.const] : undefined;
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (!properties.has(name)) properties.set(name, { node: property, pointer: child(here.pointer, 'properties', name) });
    }
    if (Array.isArray(schema.required)) for (const name of schema.required) required.add(String(name));
    if (schema.items !== undefined && !Array.isArray(schema.items)) items ??= { node: schema.items, pointer: child(here.pointer, 'items') };
    if (schema.additionalProperties === false) additional = false;
    else if (typeof schema.additionalProperties === 'object' && additional === undefined) additional = { node: schema.additionalProperties, pointer: child(here.pointer, 'additionalProperties') };
    if (oneOf.length === 0 && Array.isArray(schema.oneOf)) oneOf = schema.oneOf.map((node: unknown, i: number) => ({ node, pointer: child(here.pointer, 'oneOf', i) }));
    if (anyOf.length === 0 && Array.isArray(schema.anyOf)) anyOf = schema.anyOf.map((node: unknown, i: number) => ({ node, pointer: child(here.pointer, 'anyOf', i) }));
    for (const bound of BOUNDS) if (schema[bound] !== undefined && bounds[bound] === undefined) bounds[bound] = schema[bound];
    if (Array.isArray(schema.allOf)) schema.allOf.forEach((member: unknown, i: number) => merge(resolve(document, { node: member, pointer: child(here.pointer, 'allOf', i) })));
  };
  merge(root);
  const node = root.node ?? {};
  return {
    pointer: root.pointer,
    types,
    format,
    enum: values,
    properties,
    required,
    items,
    additional,
    oneOf,
    anyOf,
    bounds,
    readOnly: node.readOnly === true,
    writeOnly: node.writeOnly === true,
  };
}

/** Whether every type in `some` is allowed by `all` (undefined: any type; `number` allows `integer`). */
export function typesCovered(some: ReadonlySet<string> | undefined, all: ReadonlySet<string> | undefined): boolean {
  if (all === undefined) return true;
  if (some === undefined) return false;
  for (const type of some) if (!all.has(type) && !(type === 'integer' && all.has('number'))) return false;
  return true;
}

/** A type set as text: `string | null`, or `any`. */
export const typesText = (types: ReadonlySet<string> | undefined) => (types === undefined ? 'any' : [...types].join(' | '));
