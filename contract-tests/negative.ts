/**
 * fast-check arbitraries of values that break a JSON Schema: a wrong type, a bound or format
 * crossed, a required property dropped, an undeclared property added, or one property broken.
 * Every draw is confirmed invalid by Ajv, so a "negative" request really is one.
 */
import fc from 'fast-check';
import { cappedFilter } from './draw.js';
import { SchemaRegistry } from './registry.js';
import { parameterRule, parameterValue, type ParameterRule, type ParameterText } from '../src/contract/parameter-text.js';
import { flattened, resolved, valueArbitrary } from './schema-arbitrary.js';
import type { Parameter, Schema } from './spec.js';
import { isValid } from './validator.js';

const SAMPLES: Record<string, unknown> = {
  string: 'not-valid',
  integer: 7,
  number: 1.5,
  boolean: true,
  null: null,
  array: [],
  object: { unexpected: 1 },
};

function mutations(raw: Schema, depth: number): fc.Arbitrary<unknown>[] {
  const schema = flattened(raw);
  const out: fc.Arbitrary<unknown>[] = [fc.constantFrom(...Object.values(SAMPLES))];
  if (typeof schema.minLength === 'number' && schema.minLength > 0) out.push(fc.constant(''));
  if (typeof schema.maxLength === 'number' && schema.maxLength < 10_000) out.push(fc.constant('x'.repeat(schema.maxLength + 1)));
  if (typeof schema.pattern === 'string') out.push(fc.constantFrom(' ', '\t\n', '!!'));
  if (typeof schema.format === 'string') out.push(fc.constantFrom('not-a-' + schema.format, '0'));
  if (typeof schema.minimum === 'number') out.push(fc.constantFrom(schema.minimum - 1, schema.minimum - 1000));
  if (typeof schema.maximum === 'number') out.push(fc.constantFrom(schema.maximum + 1, schema.maximum + 1000));
  if (Array.isArray(schema.enum)) out.push(fc.constant('not-one-of-the-enum'));
  const properties: Record<string, Schema> = schema.properties && typeof schema.properties === 'object' ? schema.properties : {};
  const required: string[] = Array.isArray(schema.required) ? schema.required : [];
  if (Object.keys(properties).length > 0 && depth < 3) {
    // A nullable object may draw null: only objects are mutated property by property.
    const valid = (valueArbitrary(raw) as fc.Arbitrary<unknown>).map((o) => (o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : {}));
    if (required.length > 0) {
      out.push(fc.tuple(valid, fc.constantFrom(...required)).map(([o, k]) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== k))));
    }
    if (schema.additionalProperties === false) out.push(valid.map((o) => ({ ...o, unexpected_field: 'x' })));
    if (typeof schema.minProperties === 'number' && schema.minProperties > 0) out.push(fc.constant({}));
    for (const [key, sub] of Object.entries(properties).slice(0, 30)) {
      out.push(fc.tuple(valid, fc.oneof(...mutations(sub, depth + 1))).map(([o, bad]) => ({ ...o, [key]: bad })));
    }
  }
  return out;
}

const where = (schema: Schema) => () => SchemaRegistry.of(schema)?.pointerOf(schema) ?? '(schema)';

/** An arbitrary of values that break `schema`; undefined when the schema accepts every value tried. */
export function invalidValueArbitrary(schema: Schema): fc.Arbitrary<unknown> | undefined {
  try {
    const raw = fc.oneof(...mutations(schema, 0));
    if (!fc.sample(raw, { numRuns: 50, seed: 1 }).some((value) => !isValid(schema, value))) return undefined;
    return cappedFilter(raw, (value) => !isValid(schema, value), where(schema));
  } catch {
    // A schema that cannot be drawn from or compiled has no negative cases (the positive phase says why).
    return undefined;
  }
}

const rules = new WeakMap<Parameter, ParameterRule>();

/** The pipeline's rule for a parameter's text (src/contract/parameter-text.ts); cookies read like headers. */
export function textRule(p: Parameter): ParameterRule {
  let rule = rules.get(p);
  if (!rule) {
    rule = parameterRule(p.in === 'cookie' ? 'header' : p.in, p.name, resolved(p.schema), resolved, p.explode);
    rules.set(p, rule);
  }
  return rule;
}

/** The value a parameter's text stands for, read back exactly as the pipeline reads it. */
export const readBack = (p: Parameter, text: ParameterText): unknown => parameterValue(textRule(p), text).value;

/** An arbitrary of parameter strings that break `schema` once read back; none when every string is valid. */
export function invalidParameterArbitrary(p: Parameter): fc.Arbitrary<string> | undefined {
  const schema = p.schema;
  const inPath = p.in === 'path';
  try {
    const maxLength = flattened(schema).maxLength;
    const candidates = ['', ' ', 'not-valid', '-1', '0', '1.5', '99999999999', 'true', 'maybe', 'x'.repeat((typeof maxLength === 'number' && maxLength < 10_000 ? maxLength : 300) + 1)];
    const invalid = candidates.filter((raw) => !(inPath && raw.trim() === '') && !isValid(schema, readBack(p, raw)));
    return invalid.length > 0 ? fc.constantFrom(...invalid) : undefined;
  } catch {
    return undefined;
  }
}
