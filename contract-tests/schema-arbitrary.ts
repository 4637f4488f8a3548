/**
 * fast-check arbitraries of values that satisfy a JSON Schema (the subset OpenAPI documents
 * use: $ref, type, enum/const, string lengths, patterns and formats, numeric bounds, arrays,
 * objects, allOf/oneOf/anyOf). Built lazily, bounded in depth, and every value is checked by Ajv
 * through a capped filter: a schema nothing can satisfy ends the draw with its location.
 */
import fc from 'fast-check';
import { cappedFilter, IMPOSSIBLE, lazy, noteProblem } from './draw.js';
import { SchemaProblem, SchemaRegistry } from './registry.js';
import type { Schema } from './spec.js';
import { isValid } from './validator.js';

const MAX_DEPTH = 4;
/** Past this depth only an impossible value is drawn (a required recursion never ends). */
const HARD_DEPTH = 10;
const SPAN = 24;

/** How values are drawn: `headerSafe` keeps strings to visible ASCII and inner spaces (what a header or cookie can carry). */
export interface DrawOptions {
  readonly headerSafe?: boolean;
}

function typesOf(schema: Schema): string[] {
  const declared: string[] = Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : [];
  const inferred = declared.length > 0 ? declared : schema.properties ? ['object'] : schema.items ? ['array'] : ['string'];
  return schema.nullable === true ? [...inferred, 'null'] : inferred;
}

const URL_ARBITRARY = fc
  .tuple(fc.constantFrom('https://example.com', 'http://localhost:8080', 'https://api.example.org'), fc.array(fc.constantFrom('a', 'users', '42', 'x-y', 'v1'), { maxLength: 3 }))
  .map(([origin, segments]) => `${origin}/${segments.join('/')}`);
const HEADER_UNIT = fc.constantFrom(...'abcXYZ019-_.~!*'.split(''));
/** Where a schema is, and where its `$ref` points. */
export const locationOf = (schema: Schema) =>
  `${SchemaRegistry.of(schema)?.pointerOf(schema) ?? '(schema)'}${typeof schema?.$ref === 'string' ? ` → ${schema.$ref}` : ''}`;

function stringArbitrary(schema: Schema, options: DrawOptions): fc.Arbitrary<string> {
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
    case 'iri':
    case 'uri-reference':
    case 'iri-reference':
      // Not fc.webUrl(): building it takes seconds, more than an operation's share of a budget.
      return URL_ARBITRARY;
    case 'hostname':
    case 'idn-hostname':
      return fc.constantFrom('example.com', 'api.example.org', 'localhost', 'a-b.example.net');
    case 'ipv4':
      return fc.ipV4();
    case 'ipv6':
      return fc.ipV6();
    case 'time':
      return fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })).map((t) => `${t.map((n) => String(n).padStart(2, '0')).join(':')}Z`);
    case 'duration':
      return fc.constantFrom('P1D', 'PT1H', 'PT30M', 'P1Y2M3DT4H5M6S', 'P2W');
    case 'byte':
      return fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('base64'));
    case 'json-pointer':
      return fc.constantFrom('', '/a', '/a/0', '/a~1b');
    case 'regex':
      return fc.constantFrom('^a+$', '[0-9]{2}', '.*');
    default:
      break;
  }
  // No U+0000, like Schemathesis with `allow-x00 = false`: specgate refuses it in every string
  // (no Postgres text can hold it; docs/errors.md), whatever the schema says.
  if (typeof schema.pattern === 'string') {
    let pattern: RegExp;
    try {
      pattern = new RegExp(schema.pattern, 'u');
    } catch {
      pattern = new RegExp(schema.pattern);
    }
    return fc.stringMatching(pattern).filter((s) => !s.includes('\u0000'));
  }
  if (options.headerSafe) return fc.string({ minLength, maxLength, unit: HEADER_UNIT });
  return fc.string({ minLength, maxLength, unit: fc.oneof(fc.constantFrom(...'abcXYZ019 -_.'), fc.integer({ min: 1, max: 0x7f }).map((code) => String.fromCharCode(code)), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })) });
}

function numberArbitrary(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const exclusiveMin = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const exclusiveMax = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined;
  const min = typeof schema.minimum === 'number' ? schema.minimum : exclusiveMin !== undefined ? exclusiveMin + (integer ? 1 : 1e-6) : -1_000_000;
  const max = typeof schema.maximum === 'number' ? schema.maximum : exclusiveMax !== undefined ? exclusiveMax - (integer ? 1 : 1e-6) : 1_000_000;
  if (min > max) throw new SchemaProblem(locationOf(schema), `no number between ${min} and ${max}`);
  if (integer) {
    const low = Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER);
    const high = Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER);
    if (low > high) throw new SchemaProblem(locationOf(schema), `no integer between ${min} and ${max}`);
    if (low >= -(2 ** 31) && high < 2 ** 31) return fc.integer({ min: low, max: high });
    return fc.maxSafeInteger().map((n) => Math.min(high, low + Math.abs(n % Math.max(1, high - low))));
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function objectArbitrary(schema: Schema, depth: number, options: DrawOptions): fc.Arbitrary<Record<string, unknown>> {
  const properties: Record<string, Schema> = schema.properties && typeof schema.properties === 'object' ? schema.properties : {};
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
  const keys = Object.keys(properties).filter((k) => depth < MAX_DEPTH || required.has(k));
  // A required property the schema does not describe gets any simple value.
  const undescribed = [...required].filter((k) => !(k in properties));
  const record = fc.record(
    Object.fromEntries([
      ...keys.map((k) => [k, valueArbitrary(properties[k]!, depth + 1, options)]),
      ...undescribed.map((k) => [k, fc.constantFrom<unknown>('x', 1, true)]),
    ]),
    { requiredKeys: [...keys.filter((k) => required.has(k)), ...undescribed] },
  ) as fc.Arbitrary<Record<string, unknown>>;
  const minProperties = schema.minProperties ?? 0;
  return minProperties > 0 ? cappedFilter(record, (o) => Object.keys(o).length >= minProperties, () => locationOf(schema)) : record;
}

/** Follows a schema's `$ref` (siblings, as 3.1 allows, are merged in as an allOf). */
/** Follows a schema's `$ref`s through the registry of the document it came from. */
export function resolved(schema: Schema): Schema {
  if (typeof schema.$ref !== 'string') return schema;
  const registry = SchemaRegistry.of(schema);
  if (!registry) throw new SchemaProblem('(schema)', `$ref "${schema.$ref}" outside a loaded document`);
  const target = registry.resolve(schema, 'document');
  const { $ref: _ref, ...rest } = schema;
  const siblings = Object.keys(rest).filter((k) => !['description', 'summary', 'title', 'example', 'examples', 'deprecated', 'readOnly', 'writeOnly'].includes(k));
  return siblings.length > 0 ? { allOf: [target, rest] } : target;
}

/** The discriminator property and the value that selects branch `variant` (its mapping key, else its schema's name). */
function discriminatorValue(discriminator: unknown, variant: Schema): { property: string; value: string } | undefined {
  const d = discriminator as { propertyName?: unknown; mapping?: Record<string, string> } | undefined;
  if (!d || typeof d.propertyName !== 'string' || typeof variant?.$ref !== 'string') return undefined;
  const mapped = Object.entries(d.mapping ?? {}).find(([, target]) => target === variant.$ref || variant.$ref.endsWith(`/${target}`))?.[0];
  return { property: d.propertyName, value: mapped ?? variant.$ref.split('/').pop()! };
}

function mergeAllOf(schema: Schema): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  return (allOf as Schema[]).map((part) => mergeAllOf(resolved(part))).reduce<Schema>(
    (merged, part) => ({
      ...merged,
      ...part,
      properties: { ...merged.properties, ...part.properties },
      required: [...(merged.required ?? []), ...(part.required ?? [])],
    }),
    rest,
  );
}

/** The schema with its `$ref` followed and its `allOf` merged (what its keywords say, for the negative draws). */
export function flattened(schema: Schema): Schema {
  return schema && typeof schema === 'object' ? mergeAllOf(resolved(schema)) : {};
}

function unfiltered(raw: Schema, depth: number, options: DrawOptions): fc.Arbitrary<unknown> {
  if ((raw as unknown) === true || raw === undefined || raw === null || typeof raw !== 'object') return fc.constantFrom<unknown>('x', 1, true, null);
  const schema = mergeAllOf(resolved(raw));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const variants: Schema[] | undefined = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(variants) && variants.length > 0) {
    const { oneOf: _o, anyOf: _a, discriminator, ...base } = schema;
    return fc.oneof(
      ...variants.map((v) =>
        guarded(() => {
          const branch = unfiltered(mergeAllOf({ allOf: [base, resolved(v)] }), depth + 1, options);
          const tag = discriminatorValue(discriminator, v);
          return tag ? branch.map((value) => (value && typeof value === 'object' && !Array.isArray(value) ? { ...value, [tag.property]: tag.value } : value)) : branch;
        }),
      ),
    );
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
          const items = schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items) ? schema.items : {};
          const item = depth < MAX_DEPTH ? valueArbitrary(items, depth + 1, options) : fc.constant(null);
          return fc.array(item, { minLength, maxLength });
        }
        case 'object':
          return objectArbitrary(schema, depth, options);
        default:
          return stringArbitrary(schema, options);
      }
    }),
  );
}

/** Builds on first use; a branch that cannot be built yields IMPOSSIBLE (its reason kept) so a sibling branch can still be drawn. */
function guarded(build: () => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return lazy(() => {
    try {
      return build();
    } catch (error) {
      noteProblem(error instanceof SchemaProblem ? error.message : String((error as Error)?.message ?? error));
      return fc.constant(IMPOSSIBLE);
    }
  });
}

const cache = new WeakMap<object, Map<string, fc.Arbitrary<unknown>>>();

/** An arbitrary of values valid against `schema` (every draw confirmed by Ajv, a bounded number of tries). */
export function valueArbitrary(schema: Schema, depth = 0, options: DrawOptions = {}): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== 'object') return fc.constantFrom<unknown>('x', 1, true, null);
  const key = `${depth}:${options.headerSafe === true}`;
  let byKey = cache.get(schema);
  if (!byKey) cache.set(schema, (byKey = new Map()));
  let arb = byKey.get(key);
  if (!arb) {
    arb = depth > HARD_DEPTH
      ? fc.constant(IMPOSSIBLE)
      : cappedFilter(guarded(() => unfiltered(schema, depth, options)), (value) => value !== IMPOSSIBLE && isValid(schema, value), () => locationOf(schema));
    byKey.set(key, arb);
  }
  return arb;
}
