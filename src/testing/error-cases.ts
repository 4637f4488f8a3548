/**
 * One real request per failure path of the pipeline, as data, so the same table drives the
 * HTTP tests (Node fetch) and the browser tests (fetch() in a page on another origin).
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
}

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
      name: '400 validation_error from the validator',
      path: 'validate',
      errorType: 'validation_error',
      status: 400,
      request: call('api', 'POST', '/api/tasks', { ...auth(), ...json }, JSON.stringify({ title: '' })),
      exposed: {},
    },
    {
      name: '400 invalid_json from the body parser',
      path: 'body',
      errorType: 'invalid_json',
      status: 400,
      request: call('api', 'POST', '/api/tasks', { ...auth(), ...json }, '{"title": '),
      exposed: {},
    },
    {
      name: '401 authentication_error from the security handler',
      path: 'authenticate',
      errorType: 'authentication_error',
      status: 401,
      request: call('api', 'GET', '/api/tasks'),
      exposed: { 'WWW-Authenticate': /^Bearer realm="api"$/ },
    },
    {
      name: '403 authorization_error for a token without the declared scope',
      path: 'authenticate (scopes)',
      errorType: 'authorization_error',
      status: 403,
      request: call('fixture', 'GET', TASK, auth(tokens.unscoped)),
      exposed: { 'WWW-Authenticate': /error="insufficient_scope", scope="tasks:read"/ },
    },
    {
      name: '404 not_found for a path the spec does not declare',
      path: 'route',
      errorType: 'not_found',
      status: 404,
      request: call('api', 'GET', '/api/nothing-here'),
      exposed: {},
    },
    {
      name: '404 not_found thrown by an async handler',
      path: 'dispatch',
      errorType: 'not_found',
      status: 404,
      request: call('api', 'GET', TASK, auth()),
      exposed: {},
    },
    {
      name: '405 method_not_allowed for an undeclared method',
      path: 'route',
      errorType: 'method_not_allowed',
      status: 405,
      request: call('api', 'DELETE', '/api/tasks', auth()),
      exposed: { Allow: /^GET, POST, OPTIONS$/ },
    },
    {
      name: '409 conflict from a unique violation in the database',
      path: 'database (23505)',
      errorType: 'conflict',
      status: 409,
      request: call('fixture', 'POST', '/api/tasks', { ...auth(), ...json }, JSON.stringify({ title: TAKEN_TITLE })),
      exposed: {},
    },
    {
      name: '410 gone for an operation past its x-sunset (SUNSET_ENFORCE=true)',
      path: 'deprecation',
      errorType: 'gone',
      status: 410,
      request: call('fixture', 'DELETE', `/api/tasks/${FIXTURE_TASK}`, auth()),
      exposed: { Deprecation: /^@1735689600$/, Sunset: /^Mon, 30 Jun 2025 00:00:00 GMT$/ },
    },
    {
      name: '412 precondition_failed for a stale If-Match',
      path: 'handler (conditional write)',
      errorType: 'precondition_failed',
      status: 412,
      request: call('api', 'PATCH', `/api/tasks/${FIXTURE_TASK}`, { ...auth(), ...json, 'if-match': '"stale"' }, JSON.stringify({ is_completed: true })),
      exposed: {},
    },
    {
      name: '413 payload_too_large from the body parser',
      path: 'body',
      errorType: 'payload_too_large',
      status: 413,
      request: call('api', 'POST', '/api/tasks', { ...auth(), ...json }, JSON.stringify({ title: 'x', description: 'y'.repeat(1_100_000) })),
      exposed: {},
    },
    {
      name: '415 unsupported_media_type for an undeclared content type',
      path: 'validate (content type)',
      errorType: 'unsupported_media_type',
      status: 415,
      request: call('api', 'POST', '/api/tasks', { ...auth(), 'content-type': 'text/plain' }, 'title=x'),
      exposed: {},
    },
    {
      name: '431 headers_too_large from the head-limit stage (a 40 KB token)',
      path: 'head-limit',
      errorType: 'headers_too_large',
      status: 431,
      request: call('api', 'GET', '/api/tasks', { authorization: `Bearer ${'a'.repeat(40_000)}` }),
      exposed: {},
    },
    {
      name: '431 headers_too_large from Node\'s parser (a 70 KB token)',
      path: 'http-server (parser)',
      errorType: 'headers_too_large',
      status: 431,
      request: call('api', 'GET', '/api/tasks', { authorization: `Bearer ${'a'.repeat(70_000)}` }),
      exposed: {},
    },
    {
      name: '422 idempotency_key_reused for a key sent before with another body',
      path: 'handler (idempotency)',
      errorType: 'idempotency_key_reused',
      status: 422,
      request: call('api', 'POST', '/api/tasks', { ...auth(), ...json, 'idempotency-key': USED_KEY }, JSON.stringify({ title: 'not the first body' })),
      exposed: {},
    },
    {
      name: '429 rate_limited from the rate-limit stage',
      path: 'rate-limit (by caller)',
      errorType: 'rate_limited',
      status: 429,
      request: call('fixture', 'GET', '/api/tasks', auth(tokens.limited)),
      exposed: { 'Retry-After': /^\d+$/, 'RateLimit-Policy': /^"listTasks";q=1;w=3600$/, RateLimit: /^"listTasks";r=0;t=\d+$/ },
    },
    {
      name: '500 internal_error for an exception in a handler (last resort)',
      path: 'format-error (last resort)',
      errorType: 'internal_error',
      status: 500,
      request: call('broken', 'GET', TASK, auth()),
      exposed: {},
    },
    {
      name: '500 internal_error for a response that breaks the contract',
      path: 'validate (responses)',
      errorType: 'internal_error',
      status: 500,
      request: call('broken', 'GET', '/api/tasks', auth()),
      exposed: {},
    },
    {
      name: '502 bad_gateway when the upstream refuses the connection (gateway mode)',
      path: 'upstream (refused)',
      errorType: 'bad_gateway',
      status: 502,
      request: call('upstreamDown', 'GET', TASK, auth()),
      exposed: {},
    },
    {
      name: '504 gateway_timeout when the upstream does not answer in time (gateway mode)',
      path: 'upstream (timeout)',
      errorType: 'gateway_timeout',
      status: 504,
      request: call('upstreamSlow', 'GET', TASK, auth()),
      exposed: {},
    },
    {
      name: '503 service_unavailable when the database refuses connections',
      path: 'database (refused)',
      errorType: 'service_unavailable',
      status: 503,
      request: call('dbDown', 'GET', '/api/tasks', auth()),
      exposed: { 'Retry-After': /^5$/ },
    },
    {
      name: '503 service_unavailable when connecting to the database times out',
      path: 'database (timeout)',
      errorType: 'service_unavailable',
      status: 503,
      request: call('dbTimeout', 'GET', '/api/tasks', auth()),
      exposed: { 'Retry-After': /^5$/ },
    },
  ];
}
