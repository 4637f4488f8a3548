/**
 * The last resort after the stages: reached only when no stage answered a request and the error
 * formatter did not either (a stage list rearranged without format-error). The client still gets
 * the uniform 500 rather than a hanging connection.
 */
import type { ServerResponse } from 'node:http';
import { internalError } from '../errors.js';
import { renderError } from './error-body.js';
import { applyHeaders, stateOf } from './state.js';

/** Ends a response nothing answered: the uniform 500 when headers can still be sent. */
export function unanswered(res: ServerResponse, _error: unknown): void {
  if (res.writableEnded) return;
  if (res.headersSent) return void res.destroy();
  const rendered = renderError(internalError(), stateOf(res)?.requestId ?? 'unknown');
  applyHeaders(res);
  res.statusCode = rendered.status;
  for (const [name, value] of rendered.headers) res.setHeader(name, value);
  res.end(rendered.body);
}
