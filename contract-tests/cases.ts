/**
 * Request cases for one operation: positive ones (every parameter and the body valid) and
 * negative ones (exactly one parameter or the body broken), as fast-check arbitraries.
 */
import fc from 'fast-check';
import { coerceParameter, invalidParameterArbitrary, invalidValueArbitrary } from './negative.js';
import { valueArbitrary } from './schema-arbitrary.js';
import type { Operation, Parameter, Schema } from './spec.js';
import { isValid } from './validator.js';

/** One concrete request to send. */
export interface RequestCase {
  readonly operation: Operation;
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body; absent when nothing is sent. */
  readonly body?: unknown;
  /** What was broken on purpose; undefined for a positive case. */
  readonly negative?: string;
}

const serialise = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** A free-form string (no format, pattern or enum) is usually an opaque token: only its examples are sent. */
const opaque = (p: Parameter) =>
  p.examples.length > 0 && typeof p.schema.type === 'string' && p.schema.type === 'string' && !p.schema.format && !p.schema.pattern && !p.schema.enum;

function parameterArbitrary(p: Parameter): fc.Arbitrary<string> {
  const examples = p.examples.filter((e) => isValid(p.schema, coerceParameter(p.schema, serialise(e)))).map(serialise);
  if (opaque(p) && examples.length > 0) return fc.constantFrom(...examples);
  const generated = valueArbitrary(p.schema)
    .map(serialise)
    .filter((s) => (p.in !== 'path' || s !== '') && isValid(p.schema, coerceParameter(p.schema, s)));
  return examples.length > 0 ? fc.oneof(fc.constantFrom(...examples), generated) : generated;
}

function group(op: Operation, values: Record<string, string | undefined>, body: unknown, negative?: string): RequestCase {
  const pick = (where: Parameter['in']) =>
    Object.fromEntries(op.parameters.filter((p) => p.in === where && values[p.name] !== undefined).map((p) => [p.name, values[p.name]!]));
  return { operation: op, path: pick('path'), query: pick('query'), headers: pick('header'), ...(body === undefined ? {} : { body }), ...(negative ? { negative } : {}) };
}

function parametersArbitrary(op: Operation): fc.Arbitrary<Record<string, string | undefined>> {
  const params = op.parameters.filter((p) => p.in !== 'cookie');
  return fc.record(
    Object.fromEntries(params.map((p) => [p.name, p.required ? parameterArbitrary(p) : fc.option(parameterArbitrary(p), { nil: undefined })])),
  ) as fc.Arbitrary<Record<string, string | undefined>>;
}

function bodyArbitrary(op: Operation): fc.Arbitrary<unknown> {
  const rb = op.requestBody;
  if (!rb) return fc.constant(undefined);
  const valid = rb.examples.filter((e) => isValid(rb.schema, e));
  const generated = valueArbitrary(rb.schema);
  const body = valid.length > 0 ? fc.oneof(fc.constantFrom(...valid), generated) : generated;
  return rb.required ? body : fc.option(body, { nil: undefined });
}

/** Valid requests for the operation. */
export function positiveCases(op: Operation): fc.Arbitrary<RequestCase> {
  return fc.tuple(parametersArbitrary(op), bodyArbitrary(op)).map(([values, body]) => group(op, values, body));
}

/** Requests with one part broken; undefined when nothing about the operation can be broken. */
export function negativeCases(op: Operation): fc.Arbitrary<RequestCase> | undefined {
  const breakers: fc.Arbitrary<RequestCase>[] = [];
  for (const p of op.parameters.filter((param) => param.in !== 'cookie')) {
    const bad = invalidParameterArbitrary(p.schema as Schema);
    if (bad) {
      breakers.push(
        fc.tuple(parametersArbitrary(op), bad, bodyArbitrary(op)).map(([values, value, body]) =>
          group(op, { ...values, [p.name]: value }, body, `${p.in} parameter "${p.name}" = ${JSON.stringify(value)}`),
        ),
      );
    }
    if (p.required && p.in !== 'path') {
      breakers.push(fc.tuple(parametersArbitrary(op), bodyArbitrary(op)).map(([values, body]) => group(op, { ...values, [p.name]: undefined }, body, `required ${p.in} parameter "${p.name}" missing`)));
    }
  }
  const rb = op.requestBody;
  const badBody = rb ? invalidValueArbitrary(rb.schema) : undefined;
  if (badBody) {
    breakers.push(fc.tuple(parametersArbitrary(op), badBody).map(([values, body]) => group(op, values, body, 'body breaks the schema')));
  }
  return breakers.length > 0 ? fc.oneof(...breakers) : undefined;
}
