/**
 * What the stages learn about a request and hand to later stages, kept on the response under a
 * private symbol, so that the request object is never mutated by our code and the state works the
 * same on node:http and inside Express.
 */
import type { ServerResponse } from 'node:http';
import type { OperationInfo } from '../contract/spec.js';
import type { Logger } from '../logger.js';
import type { RequestTrace } from '../tracing/tracing.js';

/** Per-request facts, filled in stage by stage. */
export interface RequestState {
  requestId: string;
  readonly log: Logger;
  /** The request target's path, without the query (percent-encoded, as sent). */
  readonly path: string;
  /** The query string without its `?`; undefined when the target has none. */
  readonly search: string | undefined;
  operation?: OperationInfo;
  /** Path parameters by their spec names, as the route stage matched them. */
  pathParams?: Record<string, string>;
  userId?: string;
  /** The verified token's claims, when a bearer token authenticated the request. */
  claims?: Readonly<Record<string, unknown>>;
  /** The body bytes as received (after any Content-Encoding is undone), when one was sent. */
  rawBody?: Buffer;
  /** The parsed body: the JSON value for JSON media types, the bytes for others. */
  body?: unknown;
  /** The validated, coerced input the handler receives. */
  input?: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, unknown>; body: unknown };
  /** A body-reading failure, reported only after the caller is authenticated. */
  bodyError?: unknown;
  /** performance.now() when the metrics stage saw the request (0 without metrics). */
  startedAt?: number;
  /** The error_type format-error answered with, for the metrics (undefined on success). */
  errorType?: string;
  /** The request's SERVER span, when tracing is on (src/tracing/server-span.ts); its ids go on every log line. */
  trace?: RequestTrace;
  /**
   * Headers every answer to this request carries (the request id, CORS), as name/value pairs,
   * kept here rather than set on the response: dispatch writes them with its own in one writeHead,
   * which skips Node's per-header bookkeeping; every other writer sets them first (applyHeaders).
   */
  readonly headers: string[];
}

const STATE = Symbol('specgate.state');

/** The state of the request this response answers (set by the request-id stage). */
export function stateOf(res: ServerResponse): RequestState {
  return (res as ServerResponse & { [STATE]: RequestState })[STATE];
}

/** Sets the headers every answer carries (RequestState.headers) on the response, for a writer that sets headers one by one. */
export function applyHeaders(res: ServerResponse): void {
  const headers = stateOf(res)?.headers;
  if (headers === undefined) return;
  for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i]!, headers[i + 1]!);
}

/** Attaches a request's state to its response (the request-id stage does this first). */
export function attachState(res: ServerResponse, state: RequestState): void {
  (res as ServerResponse & { [STATE]: RequestState })[STATE] = state;
}

/** Splits a request target into its path and query string (absolute-form targets included). */
export function splitTarget(url: string): { path: string; search: string | undefined } {
  let target = url;
  if (!target.startsWith('/') && /^https?:\/\//i.test(target)) {
    const afterScheme = target.indexOf('//') + 2;
    const slash = target.indexOf('/', afterScheme);
    const question = target.indexOf('?', afterScheme);
    const start = slash < 0 || (question >= 0 && question < slash) ? -1 : slash;
    target = start < 0 ? `/${question >= 0 ? target.slice(question) : ''}` : target.slice(start);
  }
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  const q = target.indexOf('?');
  return q < 0 ? { path: target, search: undefined } : { path: target.slice(0, q), search: target.slice(q + 1) };
}
