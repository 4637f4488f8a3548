/**
 * The error catalogue: every failure the API reports is an ApiError carrying one `error_type`
 * from the closed enum in openapi.yaml (components.schemas.ErrorType). Only the error formatter
 * turns these into responses.
 */
import type { components } from '../generated/api.js';

/** One value of the spec's closed ErrorType enum. */
export type ErrorType = components['schemas']['ErrorType'];

/** One violation reported with a validation_error (components.schemas.ValidationIssue). */
export type ValidationIssue = components['schemas']['ValidationIssue'];

/** Response headers the catalogue's errors may carry; the CORS stage exposes them to browsers. */
export const ERROR_HEADERS = ['WWW-Authenticate', 'Allow', 'Retry-After'] as const;

/**
 * A server-side fault whose message we wrote ourselves (a contract violation, an edited
 * migration): safe for a log line, never sent to a client. Other errors' messages are logged by
 * kind and code only (src/log-safe.ts).
 */
export class InternalFault extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'InternalFault';
  }
}

/** A failure with a status, a stable error_type and a detail safe to show any client. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: ErrorType,
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly errors?: readonly ValidationIssue[],
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = 'ApiError';
  }
}

/** The most violations one validation_error lists; its `detail` then gives the count. */
export const MAX_LISTED_ISSUES = 20;

/**
 * 400 validation_error listing the violations, at most MAX_LISTED_ISSUES of them (in the order
 * given); `stopped` says validation gave up after these, so there may be more.
 */
export function validationError(errors: readonly ValidationIssue[], detail = 'The request does not match the API contract.', { stopped = false } = {}): ApiError {
  if (errors.length <= MAX_LISTED_ISSUES && !stopped) return new ApiError(400, 'validation_error', detail, {}, errors);
  const count = stopped ? `at least ${errors.length} problems (checking stopped there)` : `${errors.length} problems`;
  const listed = errors.length > MAX_LISTED_ISSUES ? `the first ${MAX_LISTED_ISSUES} are listed` : 'all found are listed';
  return new ApiError(400, 'validation_error', `${detail.replace(/\.$/, '')}: ${count}; ${listed}.`, {}, errors.slice(0, MAX_LISTED_ISSUES));
}

/** 400 invalid_json: the body could not be parsed. */
export const invalidJson = () => new ApiError(400, 'invalid_json', 'The request body is not valid JSON.');

/** 401 authentication_error with the RFC 6750 challenge. */
export const authenticationError = (detail: string, challenge = 'Bearer realm="api"') =>
  new ApiError(401, 'authentication_error', detail, { 'WWW-Authenticate': challenge });

/** 404 not_found: unknown path, missing resource, or another user's resource. */
export const notFound = (detail = 'No resource at this path.') => new ApiError(404, 'not_found', detail);

/** 405 method_not_allowed with the declared methods in Allow (OPTIONS there stands for CORS preflights). */
export const methodNotAllowed = (method: string, allowed: readonly string[]) => {
  const what = method === 'OPTIONS' ? 'OPTIONS answers CORS preflights only on this path' : `${method} is not declared for this path`;
  return new ApiError(405, 'method_not_allowed', `${what}. Allowed: ${allowed.join(', ')}.`, { Allow: allowed.join(', ') });
};

/** 409 conflict: a uniqueness or state conflict. */
export const conflict = (detail = 'The request conflicts with the current state of the resource.') =>
  new ApiError(409, 'conflict', detail);

/** 412 precondition_failed: If-Match names no current ETag of the resource (RFC 9110 §13.1.1). */
export const preconditionFailed = (what = 'The task') =>
  new ApiError(412, 'precondition_failed', `${what} has changed since it was read (If-Match does not match its current ETag).`);

/** 422 idempotency_key_reused: an Idempotency-Key sent again with a different body. */
export const idempotencyKeyReused = () =>
  new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.');

/** 413 payload_too_large. */
export const payloadTooLarge = (limit: string) =>
  new ApiError(413, 'payload_too_large', `The request body is larger than ${limit}.`);

/** 431 headers_too_large: the request head is over the limit. */
export const headersTooLarge = (limit: string) =>
  new ApiError(431, 'headers_too_large', `The request headers are larger than ${limit}.`);

/** 415 unsupported_media_type naming the declared types. */
export const unsupportedMediaType = (declared: readonly string[]) =>
  new ApiError(415, 'unsupported_media_type', `Content-Type must be one of: ${declared.join(', ')}.`);

/** 410 gone: the operation is past its `x-sunset` date and SUNSET_ENFORCE is on (src/pipeline/deprecation.ts). */
export const gone = (operationId: string, sunset: string) =>
  new ApiError(410, 'gone', `${operationId} was retired on ${sunset}; see the API's changelog for its replacement.`);

/** 429 rate_limited with Retry-After. */
export const rateLimited = (retryAfterSeconds: number) =>
  new ApiError(429, 'rate_limited', `Too many requests. Try again in ${retryAfterSeconds} s.`, { 'Retry-After': String(retryAfterSeconds) });

/** 500 internal_error with a generic detail; the cause goes to the log only. */
export const internalError = (cause?: unknown) =>
  new ApiError(500, 'internal_error', 'An unexpected error occurred. Quote the request id when reporting it.', {}, undefined, { cause });

/** 502 bad_gateway: the upstream could not be reached, broke the connection, or answered against the contract. */
export const badGateway = (detail: string, cause?: unknown) => new ApiError(502, 'bad_gateway', detail, {}, undefined, { cause });

/** 504 gateway_timeout: no response head from the upstream in time. */
export const gatewayTimeout = (detail: string, cause?: unknown) => new ApiError(504, 'gateway_timeout', detail, {}, undefined, { cause });

/** 503 service_unavailable with Retry-After. */
export const serviceUnavailable = (detail = 'The database is unavailable. Try again shortly.', retryAfterSeconds = 5, cause?: unknown) =>
  new ApiError(503, 'service_unavailable', detail, { 'Retry-After': String(retryAfterSeconds) }, undefined, { cause });

/** The cause of a request shed by an open circuit: logged once per breaker change (src/gateway/breaker.ts), not per request. */
export class ShedRequest extends Error {
  constructor(readonly upstream: string) {
    super(`circuit open for ${upstream}`);
    this.name = 'ShedRequest';
  }
}

/** 503 service_unavailable with Retry-After: the upstream's circuit is open, so the request is shed without being sent. */
export const circuitOpen = (detail: string, upstream: string, retryAfterSeconds: number) =>
  serviceUnavailable(detail, retryAfterSeconds, new ShedRequest(upstream));

/** 400 validation_error: a path segment whose percent-encoding does not decode. */
export const malformedEncoding = () => validationError([{ location: 'path', path: '', message: 'is not a valid URL encoding' }]);

/** 400 validation_error: a value the database refused as malformed or out of range (validation's second line of defence). */
export const malformedValue = (cause?: unknown) =>
  new ApiError(400, 'validation_error', 'A value in the request is malformed or out of range.', {}, undefined, { cause });

/** 400 validation_error: bytes Node's HTTP parser could not read as a request. */
export const notHttp = () => new ApiError(400, 'validation_error', 'The request is not valid HTTP/1.1.');

/** 400 validation_error: CONNECT, which an API that is not a proxy does not serve. */
export const connectNotSupported = () => new ApiError(400, 'validation_error', 'CONNECT is not supported: this server is an API, not a proxy.');

/** 403 authorization_error: the token is valid but lacks scopes the operation requires. */
export const insufficientScope = (missing: readonly string[]) =>
  new ApiError(403, 'authorization_error', `The token lacks the scope(s) this operation needs: ${missing.join(', ')}.`, {
    'WWW-Authenticate': `Bearer realm="api", error="insufficient_scope", scope="${missing.join(' ')}"`,
  });

/** 403 authorization_error: a browser Origin the CORS policy does not allow tried to open a WebSocket. */
export const originRefused = () => new ApiError(403, 'authorization_error', 'This Origin may not open a WebSocket here.');

/** 408 request_timeout: the request did not arrive in time. */
export const requestTimeout = () =>
  new ApiError(408, 'request_timeout', 'The request was not received in time; the connection is closed. Send it again, faster.');

/** 415 unsupported_media_type: a Content-Encoding the body stage cannot undo. */
export const unsupportedEncoding = (encoding: string) =>
  new ApiError(415, 'unsupported_media_type', `Content-Encoding "${encoding}" is not accepted; send the body as identity, gzip, deflate or br.`);

/** 415 unsupported_media_type: a JSON body in a charset other than UTF-8. */
export const unsupportedCharset = (charset: string) => new ApiError(415, 'unsupported_media_type', `JSON bodies must be UTF-8 (got charset "${charset}").`);

/** 417 expectation_failed: an Expect this server cannot meet. */
export const expectationFailed = (expect: string) =>
  new ApiError(417, 'expectation_failed', `Expect: ${expect} cannot be met; this server supports only Expect: 100-continue.`);

/** An error answer of another service (the upstream's, a mock's declared one, a replayed one) in the uniform body, with its error_type from the catalogue. */
export const relayedError = (status: number, errorType: ErrorType, detail: string, headers: Readonly<Record<string, string>> = {}, errors?: readonly ValidationIssue[]) =>
  new ApiError(status, errorType, detail, headers, errors);

/** The error with the validation status its operation declares: a 400 validation_error or invalid_json becomes 422 where the operation declares 422 and not 400. */
export function withValidationStatus(error: ApiError, declared: 400 | 422 | undefined): ApiError {
  if (declared !== 422 || error.status !== 400 || (error.errorType !== 'validation_error' && error.errorType !== 'invalid_json')) return error;
  return new ApiError(422, error.errorType, error.detail, error.headers, error.errors, { cause: error.cause });
}

/** 400 validation_error: a `Prefer` scenario (the mock's `code=` or `example=`) names what the operation does not declare; lists what it does. */
export const undeclaredScenario = (preference: string, declared: readonly string[]) =>
  new ApiError(400, 'validation_error', `Prefer: ${preference} is not declared by this operation. Declared: ${declared.join(', ') || 'none'}.`, {}, [
    { location: 'header', path: 'Prefer', message: `${preference} is not declared; declared: ${declared.join(', ') || 'none'}` },
  ]);
