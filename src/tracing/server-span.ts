/**
 * The tracing stage, right after request-id (only when tracing is on). It reads the caller's W3C
 * traceparent itself and asks the head sampler first: an unsampled request gets ids and nothing
 * else (src/tracing/unsampled-trace.ts), no SDK call. A sampled one gets a SERVER span continuing
 * the caller's traceparent/tracestate, named by the method until the route stage has matched, then
 * `GET /api/tasks/{taskId}`. Its children (database, Redis, upstream) are started from
 * RequestState.trace, explicitly: no async context is kept. The span ends when the response does,
 * with the stable HTTP attributes, the operationId and, on an error answer, the body's error_type.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { parseTraceParent, TraceState } from '@opentelemetry/core';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { RequestStage } from '../pipeline/stage.js';
import { stateOf } from '../pipeline/state.js';
import type { HeadSampler } from './head-sampler.js';
import { RequestSpans } from './request-spans.js';
import { newSpanId, newTraceId, traceIdKey, type PresetIdGenerator } from './trace-ids.js';
import { UnsampledTrace } from './unsampled-trace.js';

/** The operationId attribute of specgate's own. */
export const ATTR_OPERATION_ID = 'specgate.operation_id';
/** The verified caller's `sub`, only with OTEL_SPECGATE_CAPTURE_USER=true. */
export const ATTR_USER_ID = 'user.id';

/** `host[:port]` of the Host header, split. */
function hostAndPort(host: string | undefined): [string | undefined, number | undefined] {
  if (host === undefined || host === '') return [undefined, undefined];
  const colon = host.lastIndexOf(':');
  if (colon < 0 || host.endsWith(']')) return [host, undefined];
  const port = Number(host.slice(colon + 1));
  return [host.slice(0, colon), Number.isInteger(port) ? port : undefined];
}

/** A header's value as one string (repeated tracestate headers are one list). */
const joined = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : value);

/** The SERVER span's attributes known when the request arrives (set when it ends, with the rest). */
function startAttributes(req: IncomingMessage, method: string, path: string): Attributes {
  const socket = req.socket as TLSSocket;
  const [address, port] = hostAndPort(req.headers.host);
  // Undefined values are left out by the SDK (sanitizeAttributes).
  return {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: socket.encrypted ? 'https' : 'http',
    [ATTR_URL_PATH]: path,
    [ATTR_SERVER_ADDRESS]: address,
    [ATTR_SERVER_PORT]: port,
    [ATTR_CLIENT_ADDRESS]: socket.remoteAddress,
    [ATTR_USER_AGENT_ORIGINAL]: req.headers['user-agent'],
  };
}

/**
 * Adds what is known once the response is finished to the attributes read at the start, sets them
 * all in one call (the SDK copies and checks attributes given to startSpan, then again when it sets
 * them: given once, at the end, they are checked once), and ends the span.
 */
function endServerSpan(span: Span, attributes: Attributes, res: ServerResponse, captureUser: boolean): void {
  const state = stateOf(res);
  const status = res.statusCode;
  const operation = state.operation;
  const errorType = state.errorType ?? (res.writableFinished ? undefined : 'aborted');
  attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
  attributes[ATTR_ERROR_TYPE] = errorType;
  if (operation !== undefined) {
    span.updateName(`${operation.method.toUpperCase()} ${operation.path}`);
    attributes[ATTR_HTTP_ROUTE] = operation.path;
    attributes[ATTR_OPERATION_ID] = operation.operationId;
  }
  if (captureUser) attributes[ATTR_USER_ID] = state.userId;
  span.setAttributes(attributes);
  // A SERVER span's status is ERROR for a 5xx (and a response cut short), not for a 4xx: the semantic conventions' rule.
  if (status >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
  span.end();
}

/** What the tracing stage is built from (src/tracing/start.ts). */
export interface ServerSpanDeps {
  readonly tracer: Tracer;
  /** The tracer provider's id generator: a root span takes the trace id sampled on. */
  readonly ids: PresetIdGenerator;
  readonly sample: HeadSampler;
  readonly captureUser: boolean;
}

/** Creates the tracing stage. */
export function serverSpanStage({ tracer, ids, sample, captureUser }: ServerSpanDeps): RequestStage {
  return function tracingStage(req, res, next) {
    const state = stateOf(res);
    const header = req.headers.traceparent;
    const parent = typeof header === 'string' ? parseTraceParent(header) : null;
    const traceState = parent === null ? undefined : joined(req.headers.tracestate);
    const traceId = parent === null ? newTraceId() : parent.traceId;
    const sampled = parent === null ? sample.root(traceIdKey()) : sample.continued(traceId, (parent.traceFlags & 1) === 1);
    if (!sampled) {
      state.trace = new UnsampledTrace(traceId, newSpanId(), traceState);
      next();
      return;
    }
    let context: Context = ROOT_CONTEXT;
    if (parent === null) ids.next = traceId;
    else context = trace.setSpanContext(ROOT_CONTEXT, { ...parent, isRemote: true, traceState: traceState === undefined ? undefined : new TraceState(traceState) });
    const method = req.method ?? 'GET';
    const attributes = startAttributes(req, method, state.path);
    const span = tracer.startSpan(method, { kind: SpanKind.SERVER }, context);
    state.trace = new RequestSpans(tracer, span);
    // 'close' comes once, after 'finish' or when the connection is lost first: `on` spares once()'s wrapper.
    res.on('close', () => endServerSpan(span, attributes, res, captureUser));
    next();
  };
}
