/**
 * The last stage of every pipeline and the only place a stage's error becomes a response: the
 * uniform Error body (src/pipeline/error-body.ts) with the request id and CORS headers the earlier
 * stages decided on (RequestState.headers); a 5xx's cause is logged with the request id, never
 * sent. A refused request is answered with the validation status its operation declares (422
 * where it declares 422 and not 400, as FastAPI's documents do).
 */
import type { ServerResponse } from 'node:http';
import { ShedRequest, withValidationStatus, type ApiError } from '../errors.js';
import type { Logger } from '../logger.js';
import { describeError } from '../log-safe.js';
import { renderError } from './error-body.js';
import { toApiError, type ErrorTranslator } from './translate-error.js';
import type { ErrorStage } from './stage.js';
import { applyHeaders, stateOf } from './state.js';

function send(res: ServerResponse, error: ApiError, requestId: string) {
  const rendered = renderError(error, requestId);
  applyHeaders(res);
  res.statusCode = rendered.status;
  for (const [name, value] of rendered.headers) res.setHeader(name, value);
  res.end(rendered.body);
}

/** Creates the error formatter; `translate` turns a last stage's own errors (a driver's) into ApiErrors. */
export function formatError(fallbackLog: Logger, translate?: ErrorTranslator): ErrorStage {
  return function formatErrorStage(thrown: unknown, _req, res, _next) {
    const state = stateOf(res);
    const log = state?.log ?? fallbackLog;
    const error = withValidationStatus(toApiError(thrown, translate), state?.operation?.validationStatus);
    if (state) state.errorType = error.errorType;
    // A shed request (circuit open) is counted and logged once per breaker change, not here.
    if (error.status >= 500 && !(error.cause instanceof ShedRequest)) log.error({ error_type: error.errorType, cause: describeError(error.cause ?? thrown) }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    send(res, error, state?.requestId ?? 'unknown');
  };
}
