/**
 * The one error renderer: every answer ≥ 400 that specgate writes — a stage's, an unanswered
 * request's, a parser-level refusal's, a refused WebSocket upgrade's — is made here, as the
 * spec's `Error` schema (generated/api.ts). Changing the error format is: the spec,
 * `npm run generate`, and what `tsc` then names in this file (src/pipeline/error-body.typetest.ts).
 */
import type { components } from '../../generated/api.js';
import type { ApiError } from '../errors.js';

/** The uniform error body, exactly as the contract declares it. */
export type ErrorBody = components['schemas']['Error'];

/** The headers every error answer carries besides the request id and CORS: its media type, no caching, and the error's own. */
export type ErrorHeaders = readonly (readonly [string, string])[];

/** The uniform Error body for an ApiError. */
export function errorBody(error: ApiError, requestId: string): ErrorBody {
  const body: ErrorBody = { detail: error.detail, status_code: error.status, error_type: error.errorType, request_id: requestId };
  if (error.errors !== undefined) body.errors = [...error.errors];
  return body;
}

/** An error answer ready to write: status, the headers of the error itself, and the serialised body. */
export interface RenderedError {
  readonly status: number;
  readonly headers: ErrorHeaders;
  readonly body: string;
}

/** Renders an ApiError for the request `requestId`; the writer adds the request id and CORS headers. */
export function renderError(error: ApiError, requestId: string): RenderedError {
  const headers: [string, string][] = [
    ['Content-Type', 'application/json; charset=utf-8'],
    ['Cache-Control', 'no-store'],
  ];
  for (const [name, value] of Object.entries(error.headers)) headers.push([name, value]);
  return { status: error.status, headers, body: JSON.stringify(errorBody(error, requestId)) };
}
