/**
 * The last stage and the only place an error becomes a response: the uniform Error body
 * (components.schemas.Error) as application/json, with the request id and CORS headers the
 * earlier stages decided on (RequestState.headers); a 5xx's cause is logged with the request id,
 * never sent.
 */
import type { ServerResponse } from 'node:http';
import type { ApiError } from '../errors.js';
import type { Logger } from '../logger.js';
import { describeError } from '../log-safe.js';
import { toApiError } from './translate-error.js';
import type { ErrorStage } from './stage.js';
import { applyHeaders, stateOf } from './state.js';

/** The uniform Error body (components.schemas.Error) for an ApiError. */
export function errorBody(error: ApiError, requestId: string) {
  return {
    detail: error.detail,
    status_code: error.status,
    error_type: error.errorType,
    request_id: requestId,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

function send(res: ServerResponse, error: ApiError, requestId: string) {
  const body = errorBody(error, requestId);
  applyHeaders(res);
  res.statusCode = error.status;
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

/** Creates the error formatter. */
export function formatError(fallbackLog: Logger): ErrorStage {
  return function formatErrorStage(thrown: unknown, _req, res, _next) {
    const state = stateOf(res);
    const log = state?.log ?? fallbackLog;
    const error = toApiError(thrown, state?.operation?.requestContentTypes);
    if (state) state.errorType = error.errorType;
    if (error.status >= 500) log.error({ error_type: error.errorType, cause: describeError(error.cause ?? thrown) }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    send(res, error, state?.requestId ?? 'unknown');
  };
}
