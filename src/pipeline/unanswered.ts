/**
 * The last resort after the stages: reached only when no stage answered a request and the error
 * formatter did not either (a stage list rearranged without format-error). The client still gets
 * an answer rather than a hanging connection.
 */
import type { ServerResponse } from 'node:http';
import { applyHeaders } from './state.js';

/** Ends a response nothing answered: 500 in a minimal JSON body when headers can still be sent. */
export function unanswered(res: ServerResponse, _error: unknown): void {
  if (res.writableEnded) return;
  if (res.headersSent) return void res.destroy();
  applyHeaders(res);
  res.statusCode = 500;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ detail: 'An unexpected error occurred.', status_code: 500, error_type: 'internal_error', request_id: 'unknown' }));
}
