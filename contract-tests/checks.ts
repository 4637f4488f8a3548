/**
 * The checks every response goes through (Schemathesis' catalogue, names kept, plus ours:
 * transport_error, cors_on_every_response, uniform_error_body, and operation_tested for the run).
 * Each returns a failure message or undefined; after a transport error only transport_error runs.
 */
import type { RequestCase } from './cases.js';
import type { Exchange } from './http.js';
import type { ContractSpec, DeclaredResponse, Schema } from './spec.js';
import { UNIFORM_ERROR } from './uniform-error.js';
import { violations } from './validator.js';

/** Every check name the runner can report. */
export const CHECK_NAMES = [
  'transport_error',
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'positive_data_acceptance',
  'missing_required_header',
  'unsupported_method',
  'allow_header_conformance',
  'use_after_free',
  'ensure_resource_availability',
  'ignored_auth',
  'cors_on_every_response',
  'uniform_error_body',
  'operation_tested',
] as const;

const withIdempotencyKey = (c: RequestCase) => Object.keys(c.headers).some((name) => name.toLowerCase() === 'idempotency-key');

/** One check's name. */
export type CheckName = (typeof CHECK_NAMES)[number];

/** A response check: a message when the exchange breaks it. */
export type ResponseCheck = (spec: ContractSpec, c: RequestCase, x: Exchange) => string | undefined;

/** The declared response for a status: exact, then `4XX`-style, then `default`. */
export function declaredFor(c: RequestCase, status: number): DeclaredResponse | undefined {
  const r = c.operation.responses;
  return r[String(status)] ?? r[`${String(status)[0]}XX`] ?? r[`${String(status)[0]}xx`] ?? r.default;
}

const declaresSuccess = (c: RequestCase) => c.operation.anyStatus || Object.keys(c.operation.responses).some((k) => /^([123]|default$)/i.test(k));
const mediaType = (x: Exchange) => (x.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
const matches = (declared: string, actual: string) => {
  const [type, sub] = declared.toLowerCase().split('/');
  const [aType, aSub] = actual.split('/');
  return (type === '*' || type === aType) && (sub === '*' || sub === aSub);
};
const jsonSchemaOf = (d: DeclaredResponse | undefined, actual: string): Schema | undefined =>
  Object.entries(d?.content ?? {}).find(([t]) => matches(t, actual) && /json/.test(t))?.[1];
const coerceHeader = (schema: Schema | undefined, raw: string): unknown =>
  schema?.type === 'integer' || schema?.type === 'number' ? (Number.isNaN(Number(raw)) ? raw : Number(raw)) : raw;

/** The checks applied to every response, by name. */
export const RESPONSE_CHECKS: Partial<Record<CheckName, ResponseCheck>> = {
  transport_error: (_s, _c, x) => (x.status === 0 ? `no response: ${x.transportError ?? 'the connection failed'}` : undefined),

  // As for positive_data_acceptance: a 5xx is the contract's own answer where the operation declares it and nothing below 400.
  not_a_server_error: (_s, c, x) => (x.status >= 500 && (declaresSuccess(c) || !declaredFor(c, x.status)) ? `server error ${x.status}` : undefined),

  // An operation without `responses` (OpenAPI 3.1 allows it) declares nothing to break: any status conforms.
  status_code_conformance: (_s, c, x) =>
    c.operation.anyStatus || declaredFor(c, x.status) ? undefined : `status ${x.status} is not declared (declared: ${Object.keys(c.operation.responses).join(', ')})`,

  content_type_conformance: (_s, c, x) => {
    const declared = Object.keys(declaredFor(c, x.status)?.content ?? {});
    if (declared.length === 0 || x.text === '') return undefined;
    const actual = mediaType(x);
    return declared.some((t) => matches(t, actual)) ? undefined : `Content-Type "${actual}" is not one of ${declared.join(', ')}`;
  },

  response_headers_conformance: (_s, c, x) => {
    const problems: string[] = [];
    for (const [name, h] of Object.entries(declaredFor(c, x.status)?.headers ?? {})) {
      const value = x.headers.get(name);
      if (value === null) {
        if (h.required) problems.push(`required header ${name} is missing`);
        continue;
      }
      if (h.schema) problems.push(...violations(h.schema, coerceHeader(h.schema, value)).map((v) => `header ${name}: ${v}`));
    }
    return problems.length > 0 ? problems.join('; ') : undefined;
  },

  response_schema_conformance: (_s, c, x) => {
    const schema = jsonSchemaOf(declaredFor(c, x.status), mediaType(x));
    if (!schema) return undefined;
    if (x.json === undefined) return 'the body is not JSON';
    const problems = violations(schema, x.json);
    return problems.length > 0 ? `body breaks the ${x.status} schema: ${problems.slice(0, 5).join('; ')}` : undefined;
  },

  negative_data_rejection: (_s, c, x) =>
    c.negative && x.status < 400 ? `invalid request (${c.negative}) was accepted with ${x.status}` : undefined,

  // 412: a valid conditional request whose precondition does not hold says nothing about its data;
  // 422 with an Idempotency-Key: the generated key was used before with another body (its draft's answer);
  // 429: the caller is over a rate limit, which says nothing about the request's data either.
  // An operation that declares no answer below 400 (no 1XX-3XX, no default) cannot accept a valid request by its own contract.
  positive_data_acceptance: (_s, c, x) =>
    !c.negative && (declaresSuccess(c) || !declaredFor(c, x.status)) && x.status >= 400 && x.status < 500 && ![401, 403, 404, 409, 412, 429].includes(x.status) && !(x.status === 422 && withIdempotencyKey(c))
      ? `valid request was rejected with ${x.status}${typeof (x.json as { detail?: unknown })?.detail === 'string' ? `: ${(x.json as { detail: string }).detail}` : ''}`
      : undefined,

  cors_on_every_response: (_s, _c, x) => {
    const allowed = x.headers.get('access-control-allow-origin');
    const origin = x.request.headers.origin;
    return allowed === origin ? undefined : `Access-Control-Allow-Origin is ${allowed === null ? 'missing' : `"${allowed}"`} for the allowed Origin ${origin}`;
  },

  uniform_error_body: (_s, _c, x) => {
    if (x.status < 400) return undefined;
    if (mediaType(x) !== 'application/json') return `error response is "${mediaType(x)}", not application/json`;
    // A HEAD answer has the headers of the GET one and no body (RFC 9110).
    if (x.request.method === 'HEAD') return x.text === '' ? undefined : 'a HEAD error response has a body';
    const body = x.json as Record<string, unknown> | undefined;
    if (body === undefined) return 'error response has no JSON body';
    const problems = violations(UNIFORM_ERROR, body);
    if (body.status_code !== x.status) problems.push(`status_code ${String(body.status_code)} differs from the status ${x.status}`);
    const requestId = x.headers.get('x-request-id');
    if (requestId !== null && body.request_id !== requestId) problems.push('request_id differs from the X-Request-ID header');
    return problems.length > 0 ? `error body is not the uniform Error: ${problems.slice(0, 5).join('; ')}` : undefined;
  },
};
