/**
 * Request cases for one operation: positive ones (every parameter and the body valid) and
 * negative ones (exactly one parameter or the body broken), as fast-check arbitraries. Values
 * are drawn from the schemas, then serialised the way OpenAPI's default styles send them;
 * header and cookie values are drawn header-safe (visible ASCII).
 */
import fc from 'fast-check';
import { cappedFilter, perCase } from './draw.js';
import { parameterText } from '../src/contract/parameter-text.js';
import { invalidParameterArbitrary, invalidValueArbitrary, readBack, textRule } from './negative.js';
import { flattened, locationOf, valueArbitrary } from './schema-arbitrary.js';
import type { Operation, Parameter, Schema } from './spec.js';
import { isValid } from './validator.js';

/** A parameter's text on the wire; a list is a query parameter repeated (form style, explode). */
export type ParameterValue = string | readonly string[];

/** One concrete request to send. */
export interface RequestCase {
  readonly operation: Operation;
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, ParameterValue>>;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body; absent when nothing is sent. */
  readonly body?: unknown;
  /** What was broken on purpose; undefined for a positive case. */
  readonly negative?: string;
}

/** Text a header can carry as it is: visible ASCII with inner spaces (no control character, nothing outside Latin-1). */
export const headerSafe = (text: string) => /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/.test(text);

/** Serialises a drawn value the way the pipeline reads it back (src/contract/parameter-text.ts). */
export const serialise = (p: Parameter, value: unknown): ParameterValue => parameterText(textRule(p), value);

/** A free-form string (no format, pattern or enum) is usually an opaque token: only its examples are sent. */
const opaque = (p: Parameter) => {
  const s = flattened(p.schema);
  return p.examples.length > 0 && s.type === 'string' && !s.format && !s.pattern && !s.enum;
};

const location = (p: Parameter) => () => `${locationOf(p.schema)} (${p.in} parameter "${p.name}")`;

function wireSafe(p: Parameter, text: ParameterValue): boolean {
  const parts = typeof text === 'string' ? [text] : text;
  if (p.in === 'path' && parts.some((t) => t === '')) return false;
  // An empty list repeated zero times is no parameter at all: a required one would be missing.
  if (p.required && typeof text !== 'string' && text.length === 0) return false;
  return p.in === 'header' || p.in === 'cookie' ? parts.every(headerSafe) && !(p.in === 'cookie' && parts.some((t) => /[;,"\\ ]/.test(t))) : true;
}

/**
 * A drawn path value that is `.` or `..`, or holds a `/` or `\`: URL parsers resolve a dot-segment
 * (even as %2E), and specgate's route stage refuses both as reaching another resource
 * (src/pipeline/path-confusion.ts), so only a value the document names (an enum or const) is sent as one.
 */
const confusingPathValue = (p: Parameter, text: ParameterValue) =>
  p.in === 'path' && !Array.isArray(p.schema.enum) && p.schema.const === undefined
  && (typeof text === 'string' ? [text] : text).some((t) => t === '.' || t === '..' || /[/\\]/.test(t));

function parameterArbitrary(p: Parameter): fc.Arbitrary<ParameterValue> {
  const readsBack = (text: ParameterValue) => wireSafe(p, text) && isValid(p.schema, readBack(p, text));
  const examples = p.examples.map((e) => serialise(p, e)).filter((text) => {
    try {
      return readsBack(text);
    } catch {
      return false;
    }
  });
  if (opaque(p) && examples.length > 0) return fc.constantFrom(...examples);
  const headerLike = p.in === 'header' || p.in === 'cookie';
  const generated = cappedFilter(valueArbitrary(p.schema, 0, { headerSafe: headerLike }).map((v) => serialise(p, v)), (text) => readsBack(text) && !confusingPathValue(p, text), location(p));
  return examples.length > 0 ? fc.oneof(fc.constantFrom(...examples), generated) : generated;
}

function group(op: Operation, values: Record<string, ParameterValue | undefined>, body: unknown, negative?: string): RequestCase {
  const pick = (where: Parameter['in']) =>
    Object.fromEntries(op.parameters.filter((p) => p.in === where && values[p.name] !== undefined).map((p) => [p.name, values[p.name]!]));
  return {
    operation: op,
    path: pick('path') as Record<string, string>,
    query: pick('query'),
    headers: pick('header') as Record<string, string>,
    ...(body === undefined ? {} : { body }),
    ...(negative ? { negative } : {}),
  };
}

/** Parameters the runner draws: cookies are not sent, and neither are headers the credentials own. */
const drawn = (op: Operation) => op.parameters.filter((p) => p.in !== 'cookie' && !(p.in === 'header' && /^(authorization|content-type|accept|origin)$/i.test(p.name)));

function parametersArbitrary(op: Operation): fc.Arbitrary<Record<string, ParameterValue | undefined>> {
  return fc.record(
    Object.fromEntries(drawn(op).map((p) => [p.name, p.required ? parameterArbitrary(p) : fc.option(parameterArbitrary(p), { nil: undefined })])),
  ) as fc.Arbitrary<Record<string, ParameterValue | undefined>>;
}

function bodyArbitrary(op: Operation): fc.Arbitrary<unknown> {
  const rb = op.requestBody;
  if (!rb) return fc.constant(undefined);
  const valid = rb.examples.filter((e) => {
    try {
      return isValid(rb.schema, e);
    } catch {
      return false;
    }
  });
  const generated = valueArbitrary(rb.schema);
  const body = valid.length > 0 ? fc.oneof(fc.constantFrom(...valid), generated) : generated;
  return rb.required ? body : fc.option(body, { nil: undefined });
}

/** Valid requests for the operation; draws stop at `deadline` (a Date.now() value). */
export function positiveCases(op: Operation, deadline?: number): fc.Arbitrary<RequestCase> {
  return perCase(fc.tuple(parametersArbitrary(op), bodyArbitrary(op)).map(([values, body]) => group(op, values, body)), deadline);
}

/** Requests with one part broken; undefined when nothing about the operation can be broken. */
export function negativeCases(op: Operation, deadline?: number): fc.Arbitrary<RequestCase> | undefined {
  const breakers: fc.Arbitrary<RequestCase>[] = [];
  for (const p of drawn(op)) {
    // An empty path segment changes which route is asked for: never a negative value for a path parameter.
    const bad = invalidParameterArbitrary(p);
    if (bad) {
      const sendable = p.in === 'header' ? cappedFilter(bad, headerSafe, location(p)) : bad;
      breakers.push(
        fc.tuple(parametersArbitrary(op), sendable, bodyArbitrary(op)).map(([values, value, body]) =>
          group(op, { ...values, [p.name]: value }, body, `${p.in} parameter "${p.name}" = ${JSON.stringify(value)}`),
        ),
      );
    }
    // A missing required parameter with a default is filled in by the pipeline: not an invalid request.
    if (p.required && p.in !== 'path' && !p.hasDefault) {
      breakers.push(fc.tuple(parametersArbitrary(op), bodyArbitrary(op)).map(([values, body]) => group(op, { ...values, [p.name]: undefined }, body, `required ${p.in} parameter "${p.name}" missing`)));
    }
  }
  const rb = op.requestBody;
  const badBody = rb ? invalidValueArbitrary(rb.schema) : undefined;
  if (badBody) {
    breakers.push(fc.tuple(parametersArbitrary(op), badBody).map(([values, body]) => group(op, values, body, 'body breaks the schema')));
  }
  return breakers.length > 0 ? perCase(fc.oneof(...breakers), deadline) : undefined;
}
