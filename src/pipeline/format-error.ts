/**
 * The last stage and the only place an error becomes a response: the uniform Error body
 * (components.schemas.Error) as application/json. CORS headers set by the cors stage stay on
 * the response; a 5xx's cause is logged with the request id, never sent.
 */
import type { ErrorRequestHandler, Response } from 'express';
import type { ApiError } from '../errors.js';
import type { Logger } from '../logger.js';
import { toApiError } from './translate-error.js';
import { stateOf } from './state.js';

/** What the log may say about a cause: its kind and code, never a stack or SQL. */
function describeCause(cause: unknown) {
  if (!(cause instanceof Error)) return { kind: typeof cause };
  const code = (cause as { code?: unknown }).code;
  return { kind: cause.name, code: typeof code === 'string' ? code : undefined, message: cause.message.slice(0, 200) };
}

function send(res: Response, error: ApiError, requestId: string) {
  const body = {
    detail: error.detail,
    status_code: error.status,
    error_type: error.errorType,
    request_id: requestId,
    ...(error.errors ? { errors: error.errors } : {}),
  };
  res.status(error.status);
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

/** Creates the error formatter. */
export function formatError(fallbackLog: Logger): ErrorRequestHandler {
  return function formatErrorStage(thrown, _req, res, _next) {
    const state = stateOf(res);
    const log = state?.log ?? fallbackLog;
    const error = toApiError(thrown, state?.operation?.requestContentTypes);
    if (error.status >= 500) log.error({ error_type: error.errorType, cause: describeCause(error.cause ?? thrown) }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    send(res, error, state?.requestId ?? 'unknown');
  };
}
