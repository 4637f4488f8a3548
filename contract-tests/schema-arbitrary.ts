/**
 * fast-check arbitraries of values that satisfy a JSON Schema (the subset OpenAPI documents
 * use: type, enum/const, string lengths, patterns and formats, numeric bounds, arrays, objects,
 * allOf/oneOf/anyOf, 3.0 `nullable`). Values are checked against the schema by Ajv before use.
 */
import fc from 'fast-check';
import type { Schema } from './spec.js';
import { isValid } from './validator.js';

const MAX_DEPTH = 4;
const SPAN = 24;

function typesOf(schema: Schema): string[] {
  const declared: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const inferred = declared.length > 0 ? declared : schema.properties ? ['object'] : schema.items ? ['array'] : ['string'];
  return schema.nullable === true ? [...inferred, 'null'] : inferred;
}

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? minLength + SPAN, minLength + SPAN));
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.emailAddress();
    case 'uri':
    case 'url':
      return fc.webUrl();
    default:
      break;
  }
  // No U+0000, like Schemathesis with `allow-x00 = false`: specgate refuses it in every string
  // (no Postgres text can hold it; docs/errors.md), whatever the schema says.
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => [...s].length >= minLength && [...s].length <= maxLength && !s.includes('\u0000'));
  }
  const ascii = fc.integer({ min: 1, max: 0x7f }).map((code) => String.fromCharCode(code));
  return fc.string({ minLength, maxLength, unit: fc.oneof(fc.constantFrom(...'abcXYZ019 -_.'), ascii, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })) });
}

function numberArbitrary(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const exclusiveMin = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const exclusiveMax = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined;
  const min = schema.minimum ?? (exclusiveMin !== undefined ? exclusiveMin + (integer ? 1 : 1e-6) : -1_000_000);
  const max = schema.maximum ?? (exclusiveMax !== undefined ? exclusiveMax - (integer ? 1 : 1e-6) : 1_000_000);
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function objectArbitrary(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const required = new Set<string>(schema.required ?? []);
  const keys = Object.keys(properties).filter((k) => depth < MAX_DEPTH || required.has(k));
  const record = fc.record(
    Object.fromEntries(keys.map((k) => [k, valueArbitrary(properties[k]!, depth + 1)])),
    { requiredKeys: keys.filter((k) => required.has(k)) },
  ) as fc.Arbitrary<Record<string, unknown>>;
  const minProperties = schema.minProperties ?? 0;
  return minProperties > 0 ? record.filter((o) => Object.keys(o).length >= minProperties) : record;
}

function mergeAllOf(schema: Schema): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  return (allOf as Schema[]).map(mergeAllOf).reduce<Schema>(
    (merged, part) => ({
      ...merged,
      ...part,
      properties: { ...merged.properties, ...part.properties },
      required: [...(merged.required ?? []), ...(part.required ?? [])],
    }),
    rest,
  );
}

function unfiltered(raw: Schema, depth: number): fc.Arbitrary<unknown> {
  const schema = mergeAllOf(raw);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const variants: Schema[] | undefined = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(variants) && variants.length > 0) {
    const { oneOf: _o, anyOf: _a, ...base } = schema;
    return fc.oneof(...variants.map((v) => unfiltered({ ...base, ...v }, depth + 1)));
  }
  return fc.oneof(
    ...typesOf(schema).map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'null':
          return fc.constant(null);
        case 'boolean':
          return fc.boolean();
        case 'integer':
          return numberArbitrary(schema, true);
        case 'number':
          return numberArbitrary(schema, false);
        case 'array': {
          const minLength = schema.minItems ?? 0;
          const maxLength = Math.min(schema.maxItems ?? minLength + 3, minLength + 3);
          return fc.array(depth < MAX_DEPTH ? valueArbitrary(schema.items ?? {}, depth + 1) : fc.constant(null), { minLength, maxLength });
        }
        case 'object':
          return objectArbitrary(schema, depth);
        default:
          return stringArbitrary(schema);
      }
    }),
  );
}

/** An arbitrary of values valid against `schema` (invalid draws are filtered out by Ajv). */
export function valueArbitrary(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  return unfiltered(schema, depth).filter((value) => isValid(schema, value));
}
