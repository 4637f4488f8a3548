/**
 * The request-id stage, first: gives every request an id (a sane incoming X-Request-ID, or a new UUID), echoes it
 * (RequestState.headers), and writes one access-log line when the response is finished. The
 * per-request logger is made only when something logs, and the access line only when its level
 * is enabled: a child logger and a listener per request cost more than routing and validation
 * together. With tracing on, the logger and the access line carry the request's trace_id and span_id.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { RequestStage } from './stage.js';
import { attachState, splitTarget, type RequestState } from './state.js';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A request's state whose `log` (bound to the request id) is created on first use. A class with
 * every field set in the constructor gives every request's state the same shape from the start,
 * so the later stages' reads and writes stay monomorphic (see docs/performance.md).
 */
class State implements RequestState {
  operation: RequestState['operation'] = undefined;
  pathParams: RequestState['pathParams'] = undefined;
  userId: RequestState['userId'] = undefined;
  claims: RequestState['claims'] = undefined;
  rawBody: RequestState['rawBody'] = undefined;
  body: RequestState['body'] = undefined;
  input: RequestState['input'] = undefined;
  bodyError: RequestState['bodyError'] = undefined;
  startedAt = 0;
  errorType: RequestState['errorType'] = undefined;
  trace: RequestState['trace'] = undefined;
  readonly headers: string[];
  private child: Logger | undefined = undefined;
  readonly path: string;
  readonly search: string | undefined;

  constructor(
    public requestId: string,
    private readonly parent: Logger,
    url: string,
  ) {
    const { path, search } = splitTarget(url);
    this.path = path;
    this.search = search;
    this.headers = ['X-Request-ID', requestId];
  }

  get log(): Logger {
    this.child ??= this.parent.child(this.trace === undefined ? { request_id: this.requestId } : { request_id: this.requestId, trace_id: this.trace.traceId, span_id: this.trace.spanId });
    return this.child;
  }
}

/** Creates the request-id stage. */
export function requestId(log: Logger): RequestStage {
  const accessLog = log.isLevelEnabled('info');
  return function requestIdStage(req, res, next) {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
    const state = new State(id, log, req.url ?? '/');
    attachState(res, state);
    if (accessLog) {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const line = { request_id: id, method: req.method, path: state.path, status: res.statusCode, operation: state.operation?.operationId, ms: Math.round(ms * 100) / 100 };
        const trace = state.trace;
        log.info(trace === undefined ? line : { ...line, trace_id: trace.traceId, span_id: trace.spanId }, 'request');
      });
    }
    next();
  };
}
