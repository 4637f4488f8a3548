/**
 * Makes a value from a JSON schema of an OpenAPI document, following `$ref`s lazily in the
 * document itself: each nested level costs one step of a fixed budget and a reference already
 * being expanded (a cycle) stops there, so a recursive or huge schema gives a small value in
 * bounded time and never blocks the event loop for long. The value aims to be schema-valid:
 * declared types, formats, bounds, `required` (also in untyped schemas), `allOf` merged, the
 * first `oneOf`/`anyOf` branch, and schema-level examples only when their JSON type fits.
 */
import { pointerTarget } from '../contract/refs.js';
import type { OpenApiDocument } from '../contract/spec.js';

type Schema = Record<string, any>;

const FORMAT_EXAMPLES: Record<string, string> = {
  email: 'user@example.com', hostname: 'example.com', ipv4: '192.0.2.1', ipv6: '2001:db8::1',
  uri: 'https://example.com/path', url: 'https://example.com/path', 'uri-reference': '/path', 'uri-template': '/path/{param}',
  'json-pointer': '/foo/bar', date: '1970-01-01', 'date-time': '1970-01-01T00:00:00.000Z', time: '00:00:00Z',
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6', byte: 'U3dhZ2dlciByb2Nrcw==', binary: 'string', regex: '.*', duration: 'P1D',
};
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

function inferType(schema: Schema): string {
  const types = typesOf(schema).filter((t) => t !== 'null');
  if (types[0]) return types[0];
  if (schema.properties || schema.required || schema.additionalProperties) return 'object';
  if (schema.items) return 'array';
  if (typeof schema.minimum === 'number' || typeof schema.maximum === 'number') return 'number';
  if (typesOf(schema).includes('null')) return 'null';
  return 'string';
}

function numberFor(schema: Schema, integer: boolean): number {
  let min = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
  let max = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
  if (typeof schema.exclusiveMinimum === 'number') min = Math.max(min, schema.exclusiveMinimum + (integer ? 1 : 1e-9));
  if (typeof schema.exclusiveMaximum === 'number') max = Math.min(max, schema.exclusiveMaximum - (integer ? 1 : 1e-9));
  let value = Math.min(Math.max(0, min), max);
  if (integer) value = Number.isFinite(min) && value === min ? Math.ceil(value) : Math.floor(value);
  const step = schema.multipleOf;
  if (typeof step === 'number' && step > 0) value = Math.ceil(value / step) * step;
  return value;
}

function stringFor(schema: Schema): string {
  let value = (typeof schema.format === 'string' && FORMAT_EXAMPLES[schema.format]) || 'string';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  while (value.length < min) value += value;
  return value.slice(0, Math.max(min, Math.min(value.length, max)));
}

/** Makes one value for `schema`, resolving its `$ref`s in `document`. */
export function generate(document: OpenApiDocument, schema: unknown): unknown {
  let budget = 5_000;
  const walk = (raw: unknown, depth: number, active: ReadonlySet<string>): unknown => {
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
    if (resolved === true || resolved === undefined || resolved === null) return 'string';
    if (typeof resolved !== 'object') return undefined;
    if (node.const !== undefined) return node.const;
    if (node.example !== undefined && fits(node, node.example)) return node.example;
    if (Array.isArray(node.examples) && node.examples.length > 0 && fits(node, node.examples[0])) return node.examples[0];
    if (node.default !== undefined && fits(node, node.default)) return node.default;
    if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum.find((v: unknown) => v !== null) ?? node.enum[0];
    const exhausted = budget <= 0 || depth > MAX_DEPTH;
    if (Array.isArray(node.allOf) && node.allOf.length > 0 && !exhausted) {
      const { allOf, ...rest } = node;
      const parts = [rest, ...allOf].map((part) => walk(part, depth, refs));
      const objects = parts.filter((p): p is Record<string, unknown> => jsonType(p) === 'object');
      return objects.length > 0 && objects.length >= parts.filter((p) => p !== undefined && p !== 'string').length ? Object.assign({}, ...objects) : parts.find((p) => p !== undefined);
    }
    const branches = node.oneOf ?? node.anyOf;
    if (Array.isArray(branches) && branches.length > 0 && !node.properties && !exhausted) {
      for (const branch of branches) {
        const value = walk(branch, depth, refs);
        if (value !== undefined) return value;
      }
    }
    const type = inferType(node);
    if (type === 'object') {
      const out: Record<string, unknown> = {};
      if (exhausted) return out;
      const required = new Set<string>(Array.isArray(node.required) ? node.required : []);
      for (const [name, property] of Object.entries<unknown>(node.properties ?? {})) {
        if (!required.has(name) && (depth >= OPTIONAL_DEPTH || budget <= 0)) continue;
        const value = walk(property, depth + 1, refs);
        if (value !== undefined) out[name] = value;
      }
      for (const name of required) if (!(name in out)) out[name] = walk(node.additionalProperties ?? {}, depth + 1, refs) ?? 'string';
      return out;
    }
    if (type === 'array') {
      if (exhausted || node.items === undefined) return [];
      const count = Math.min(Math.max(typeof node.minItems === 'number' ? node.minItems : 1, 1), 10);
      const item = walk(node.items, depth + 1, refs);
      if (item === undefined) return [];
      const items = Array.from({ length: count }, () => item);
      return node.uniqueItems === true ? items.slice(0, 1) : items;
    }
    if (type === 'integer') return numberFor(node, true);
    if (type === 'number') return numberFor(node, false);
    if (type === 'boolean') return true;
    if (type === 'null') return null;
    return stringFor(node);
  };
  return walk(schema, 0, new Set());
}
