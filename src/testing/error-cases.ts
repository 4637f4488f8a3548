/**
 * The one table of error cases: one real request per failure path of the pipeline and the exact
 * answer expected, as data, so the same table drives the HTTP tests (Node fetch,
 * src/pipeline/error-types.http.test.ts), the browser tests (fetch() in a page on another origin),
 * the Express host and the CORS doctor.
 */
import type { ErrorType } from '../errors.js';
import { FIXTURE_TASK, TAKEN_TITLE, USED_KEY, type Target, type WorldResources } from './error-world.js';

const TASK = '/api/tasks/3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01';

/** A request a page could make with fetch(). */
export interface CaseRequest {
  readonly target: Target;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A failure path, the request that takes it, and what the caller must be able to read. */
export interface ErrorCase {
  readonly name: string;
  /** The pipeline stage or mechanism whose errors this case covers. */
  readonly path: string;
  readonly errorType: ErrorType;
  readonly status: number;
  readonly request: CaseRequest;
  /** Headers (besides X-Request-ID) the response carries and a page must be able to read. */
  readonly exposed: Readonly<Record<string, RegExp>>;
  /** The body's `detail`, exactly (a pattern where it holds a number that varies). */
  readonly detail: string | RegExp;
  /** Fields the body carries besides detail, status_code, error_type and request_id (a validation error's `errors`). */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Headers that must be absent (a success header the failed answer must not keep). */
  readonly absent?: readonly string[];
}

/** The detail of every 500 internal_error: nothing of the cause reaches the client. */
const INTERNAL = 'An unexpected error occurred. Quote the request id when reporting it.';
const INVALID = 'The request does not match the API contract.';

const json = { 'content-type': 'application/json' };

/** The cases, with the tokens of a world's resources. */
export function errorCases({ tokens }: WorldResources): ErrorCase[] {
  const auth = (token = tokens.user) => ({ authorization: `Bearer ${token}` });
  const call = (target: Target, method: string, path: string, headers: Record<string, string> = {}, body?: string): CaseRequest => ({
    target,
    method,
    path,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return [
    {
      name: '400 validation_error from the validator, every violation listed',
      path: 'validate',
      errorType: 'validation_error',
      status: 400,
      request: call('api', 'POST', '/api/tasks', { ...auth(), ...json }, JSON.stringify({ title: '', colour: 'red' })),
      exposed: {},
      detail: INVALID,
      extra: {
        errors: [
          { location: 'body', path: '/colour', message: 'must NOT have additional properties' },
          { location: 'body', path: '/title', message: 'must NOT have fewer than 1 characters' },
          { location: 'body', path: '/title', message: 'must match pattern "\\S"' },
        ],
      },
    },
    {
      name: '400 validation_error for a bad query, parameters listed together',
      path: 'validate (parameters)',
      errorType: 'validation_error',
      status: 400,
      request: call('api', 'GET', '/api/tasks?limit=0&completed=maybe', auth()),
      exposed: {},
      detail: INVALID,
      extra: {
        errors: [
          { location: 'query', path: 'completed', message: 'must be boolean' },
          { location: 'query', path: 'limit', message: 'must be >= 1' },
        ],
      },
    },
    {
      name: '400 invalid_json from the body parser',
      path: 'body',
      errorType: 'invalid_json',
      status: 400,
      request: call('api', 'POST', '/api/tasks', { ...auth(), ...json }, '{"title": '),
      exposed: {},
      detail: 'The request body is not valid JSON.',
    },
    {
      name: '401 authentication_error from the security handler',
      path: 'authenticate',
      errorType: 'authentication_error',
      status: 401,
      request: call('api', 'GET', '/api/tasks'),
      exposed: { 'WWW-Authenticate': /^Bearer realm="api"$/ },
      detail: 'Bearer token required.',
    },
    {
      name: '401 authentication_error without a token, before a body that is not JSON',
      path: 'authenticate (before body errors)',
      errorType: 'authentication_error',
      status: 401,
      request: call('api', 'POST', '/api/tasks', json, '{"title": '),
      exposed: { 'WWW-Authenticate': /^Bearer realm="api"$/ },
      detail: 'Bearer token required.',
    },
    {
      name: '401 authentication_error for a token signed with another secret',
      path: 'authenticate (signature)',
      errorType: 'authentication_error',
      status: 401,
      request: call('api', 'GET', TASK, auth(tokens.foreign)),
      exposed: { 'WWW-Authenticate': /^Bearer realm="api", error="invalid_token", error_description="bad signature"$/ },
      detail: 'The bearer token was rejected: bad signature.',
    },
    {
      name: '403 authorization_error for a token without the declared scope',
      path: 'authenticate (scopes)',
      errorType: 'authorization_error',
      status: 403,
      request: call('fixture', 'GET', TASK, auth(tokens.unscoped)),
      exposed: { 'WWW-Authenticate': /error="insufficient_scope", scope="tasks:read"/ },
      detail: 'The token lacks the scope(s) this operation needs: tasks:read.',
    },
    {
      name: '404 not_found for a path the spec does not declare',
      path: 'route',
      errorType: 'not_found',
      status: 404,
      request: call('api', 'GET', '/api/nothing-here'),
      exposed: {},
      detail: 'No resource at this path.',
    },
    {
      name: '404 not_found thrown by an async handler',
      path: 'dispatch',
      errorType: 'not_found',
      status: 404,
      request: call('api', 'GET', TASK, auth()),
      exposed: {},
      detail: 'Task not found.',
    },
    {
      name: '405 method_not_allowed for an undeclared method',
      path: 'route',
      errorType: 'method_not_allowed',
      status: 405,
      request: call('api', 'DELETE', '/api/tasks', auth()),
      exposed: { Allow: /^GET, POST, OPTIONS$/ },
      detail: 'DELETE is not declared for this path. Allowed: GET, POST, OPTIONS.',
    },
    {
      name: '409 conflict from a unique violation in the database',
      path: 'database (23505)',
      errorType: 'conflict',
      status: 409,
      request: call('fixture', 'POST', '/api/tasks', { ...auth(), ...json }, JSON.stringify({ title: TAKEN_TITLE })),
      exposed: {},
      detail: 'The request conflicts with the current state of the resource.',
    },
    {
      name: '410 gone for an operation past its x-sunset (SUNSET_ENFORCE=true)',
      path: 'deprecation',
      errorType: 'gone',
      status: 410,
      request: call('fixture', 'DELETE', `/api/tasks/${FIXTURE_TASK}`, auth()),
      exposed: { Deprecation: /^@1735689600$/, Sunset: /^Mon, 30 Jun 2025 00:00:00 GMT$/ },
      detail: "deleteTask was retired on Mon, 30 Jun 2025 00:00:00 GMT; see the API's changelog for its replacement.",
    },
    {
      name: '412 precondition_failed for a stale If-Match',
      path: 'handler (conditional write)',
      errorType: 'precondition_failed',
      status: 412,
      request: call('api', 'PATCH', `/api/tasks/${FIXTURE_TASK}`, { ...auth(), ...json, 'if-match': '"stale"' }, JSON.stringify({ is_completed: true })),
      exposed: {},
      detail: 'The task has changed since it was read (If-Match does not match its current ETag).',
    },
    {
      name: '413 payload_too_large from the body parser',
      path: 'body',
      errorType: 'payload_too_large',
      status: 413,
      request: call('api', 'POST', '/api/tasks', { ...auth(), ...json }, JSON.stringify({ title: 'x', description: 'y'.repeat(1_100_000) })),
      exposed: {},
      detail: 'The request body is larger than 1 MB.',
    },
    {
      name: '415 unsupported_media_type for an undeclared content type',
      path: 'validate (content type)',
      errorType: 'unsupported_media_type',
      status: 415,
      request: call('api', 'POST', '/api/tasks', { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, 'title=x'),
      exposed: {},
      detail: 'Content-Type must be one of: application/json.',
    },
    {
      name: '431 headers_too_large from the head-limit stage (a 40 KB token)',
      path: 'head-limit',
      errorType: 'headers_too_large',
      status: 431,
      request: call('api', 'GET', '/api/tasks', { authorization: `Bearer ${'a'.repeat(40_000)}` }),
      exposed: {},
      detail: 'The request headers are larger than 32 KiB.',
    },
    {
      name: '431 headers_too_large from Node\'s parser (a 70 KB token)',
      path: 'http-server (parser)',
      errorType: 'headers_too_large',
      status: 431,
      request: call('api', 'GET', '/api/tasks', { authorization: `Bearer ${'a'.repeat(70_000)}` }),
      exposed: {},
      detail: 'The request headers are larger than 32 KiB.',
    },
    {
      name: '422 idempotency_key_reused for a key sent before with another body',
      path: 'handler (idempotency)',
      errorType: 'idempotency_key_reused',
      status: 422,
      request: call('api', 'POST', '/api/tasks', { ...auth(), ...json, 'idempotency-key': USED_KEY }, JSON.stringify({ title: 'not the first body' })),
      exposed: {},
      detail: 'This Idempotency-Key was already used with a different request body.',
    },
    {
      name: '429 rate_limited from the rate-limit stage',
      path: 'rate-limit (by caller)',
      errorType: 'rate_limited',
      status: 429,
      request: call('fixture', 'GET', '/api/tasks', auth(tokens.limited)),
      exposed: { 'Retry-After': /^\d+$/, 'RateLimit-Policy': /^"listTasks";q=1;w=3600$/, RateLimit: /^"listTasks";r=0;t=\d+$/ },
      detail: /^Too many requests\. Try again in \d+ s\.$/,
    },
    {
      name: '500 internal_error for an exception in a handler, with nothing of it in the body',
      path: 'format-error (last resort)',
      errorType: 'internal_error',
      status: 500,
      request: call('broken', 'GET', TASK, auth()),
      exposed: {},
      detail: INTERNAL,
    },
    {
      name: '500 internal_error for a response that breaks the contract (outside production)',
      path: 'validate (responses)',
      errorType: 'internal_error',
      status: 500,
      request: call('broken', 'GET', '/api/tasks', auth()),
      exposed: {},
      detail: INTERNAL,
    },
    {
      name: '500 internal_error for a body that cannot be serialised (production), with none of the success headers',
      path: 'dispatch (serialise)',
      errorType: 'internal_error',
      status: 500,
      request: call('production', 'POST', '/api/tasks', { ...auth(), ...json }, JSON.stringify({ title: 'x' })),
      exposed: {},
      detail: INTERNAL,
      absent: ['Location'],
    },
    {
      name: '502 bad_gateway when the upstream refuses the connection (gateway mode)',
      path: 'upstream (refused)',
      errorType: 'bad_gateway',
      status: 502,
      request: call('upstreamDown', 'GET', TASK, auth()),
      exposed: {},
      detail: 'The upstream for getTask could not be reached (connection refused).',
    },
    {
      name: '504 gateway_timeout when the upstream does not answer in time (gateway mode)',
      path: 'upstream (timeout)',
      errorType: 'gateway_timeout',
      status: 504,
      request: call('upstreamSlow', 'GET', TASK, auth()),
      exposed: {},
      detail: 'The upstream for getTask did not answer within 300 ms.',
    },
    {
      name: '503 service_unavailable when the database refuses connections',
      path: 'database (refused)',
      errorType: 'service_unavailable',
      status: 503,
      request: call('dbDown', 'GET', '/api/tasks', auth()),
      exposed: { 'Retry-After': /^5$/ },
      detail: 'The database is unavailable. Try again shortly.',
    },
    {
      name: '503 service_unavailable when connecting to the database times out',
      path: 'database (timeout)',
      errorType: 'service_unavailable',
      status: 503,
      request: call('dbTimeout', 'GET', '/api/tasks', auth()),
      exposed: { 'Retry-After': /^5$/ },
      detail: 'The database is unavailable. Try again shortly.',
    },
  ];
}
