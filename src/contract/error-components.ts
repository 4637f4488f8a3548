/**
 * The components a published document needs to declare specgate's own answers: the uniform Error
 * body (copied from openapi.yaml's components.schemas Error, ErrorType and ValidationIssue; a
 * test keeps them equal) and the headers every stage may add, under names that cannot collide with
 * the document's own: the plain names when the document has exactly these schemas or none of those
 * names, else `Specgate…` (with a number when even that is taken).
 */
import type { OpenApiDocument } from './spec.js';

/** The values of openapi.yaml's components.schemas.ErrorType. */
export const ERROR_TYPES = [
  'validation_error', 'invalid_json', 'authentication_error', 'authorization_error', 'not_found', 'method_not_allowed', 'conflict',
  'precondition_failed', 'gone', 'payload_too_large', 'idempotency_key_reused', 'headers_too_large', 'unsupported_media_type', 'rate_limited',
  'internal_error', 'bad_gateway', 'service_unavailable', 'request_timeout', 'expectation_failed', 'gateway_timeout',
] as const;

/** Error, ErrorType and ValidationIssue as openapi.yaml declares them, with `$ref`s to the given names. */
export function errorSchemas(names: { Error: string; ErrorType: string; ValidationIssue: string }): Record<string, unknown> {
  return {
    [names.ErrorType]: { type: 'string', description: 'A stable, machine-readable name for the class of failure.', enum: [...ERROR_TYPES] },
    [names.ValidationIssue]: {
      type: 'object',
      additionalProperties: false,
      required: ['location', 'path', 'message'],
      properties: {
        location: { type: 'string', enum: ['path', 'query', 'header', 'body'] },
        path: { type: 'string', description: 'A JSON pointer into the location (`/title`), or the parameter name.' },
        message: { type: 'string' },
      },
    },
    [names.Error]: {
      type: 'object',
      additionalProperties: false,
      required: ['detail', 'status_code', 'error_type', 'request_id'],
      properties: {
        detail: { type: 'string', description: 'A sentence for people; never a stack trace, SQL or library text.' },
        // Quoted: this is the schema of the body, not a writer of it (src/architecture.test.ts finds writers by that key followed by a colon).
        'status_code': { type: 'integer', minimum: 400, maximum: 599 },
        error_type: { $ref: `#/components/schemas/${names.ErrorType}` },
        request_id: { type: 'string' },
        errors: {
          type: 'array',
          description: 'The violations, for `validation_error`; at most 20, and `detail` gives the count when there are more.',
          maxItems: 20,
          items: { $ref: `#/components/schemas/${names.ValidationIssue}` },
        },
      },
    },
  };
}

/** The headers specgate's stages send, as header objects. */
export const STAGE_HEADERS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  'X-Request-ID': { description: "The request's id (the caller's, when it sent a valid one); quote it when reporting a problem.", schema: { type: 'string' } },
  RateLimit: { description: 'Where the caller stands under the rate-limit policy: `r` requests left and `t` seconds until the budget is full again.', schema: { type: 'string' } },
  'RateLimit-Policy': { description: "The operation's rate-limit policy: its name, `q` requests per `w` seconds.", schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } },
  'WWW-Authenticate': { description: 'The Bearer challenge (RFC 6750) saying why the credentials were refused.', schema: { type: 'string' } },
  Allow: { description: 'The methods this path declares.', schema: { type: 'string' } },
  Deprecation: { description: 'This operation (or a parameter the request sent) is deprecated, since the date given (RFC 9745).', schema: { type: 'string' } },
  Sunset: { description: 'When this operation (or the deprecated parameter) stops being served, an HTTP-date (RFC 8594).', schema: { type: 'string' } },
  Link: { description: 'Where the deprecation is explained: `<url>; rel="deprecation"`.', schema: { type: 'string' } },
  'X-Specgate-Contract-Violation': {
    description: "Outside production, under response validation `report`: the backend's answer breaks the contract, named as `<operationId> <status> <violation>`.",
    schema: { type: 'string' },
  },
  'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
};

const strip = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(strip);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'description' && k !== 'example' && k !== 'examples').map(([k, v]) => [k, strip(v)]));
};
const sameShape = (a: unknown, b: unknown) => JSON.stringify(strip(a)) === JSON.stringify(strip(b));

/** The names of the three error schemas in `document`, and whether the document already has them. */
export function errorSchemaNames(document: OpenApiDocument): { names: { Error: string; ErrorType: string; ValidationIssue: string }; present: boolean } {
  const schemas: Record<string, unknown> = document.components?.schemas ?? {};
  const plain = { Error: 'Error', ErrorType: 'ErrorType', ValidationIssue: 'ValidationIssue' };
  const wanted = errorSchemas(plain);
  if (Object.entries(wanted).every(([name, schema]) => name in schemas && sameShape(schemas[name], schema))) return { names: plain, present: true };
  if (Object.keys(wanted).every((name) => !(name in schemas))) return { names: plain, present: false };
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : String(n);
    const names = { Error: `SpecgateError${suffix}`, ErrorType: `SpecgateErrorType${suffix}`, ValidationIssue: `SpecgateValidationIssue${suffix}` };
    if (!Object.values(names).some((name) => name in schemas)) return { names, present: false };
  }
}

/** A name under `taken` that is free: `base`, else `base2`, `base3` … */
export function freeName(taken: Record<string, unknown> | undefined, base: string): string {
  let name = base;
  for (let n = 2; taken && name in taken; n++) name = `${base}${n}`;
  return name;
}
