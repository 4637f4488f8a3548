/**
 * The tracing stage, right after request-id (only when tracing is on): one SERVER span per request,
 * continuing the caller's W3C traceparent/tracestate, named by the method until the route stage has
 * matched, then `GET /api/tasks/{taskId}`. Its children (database, Redis, upstream) are started
 * from RequestState.trace, explicitly: no async context is kept. The span ends when the response does,
 * with the stable HTTP attributes, the operationId and, on an error answer, the body's error_type.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Span, type TextMapGetter, type Tracer } from '@opentelemetry/api';
import type { W3CTraceContextPropagator } from '@opentelemetry/core';
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
import { RequestSpans } from './request-spans.js';

/** The operationId attribute of specgate's own. */
export const ATTR_OPERATION_ID = 'specgate.operation_id';
/** The verified caller's `sub`, only with OTEL_SPECGATE_CAPTURE_USER=true. */
export const ATTR_USER_ID = 'user.id';

/** Reads the W3C headers from Node's lower-cased request headers. */
const headerGetter: TextMapGetter<IncomingMessage['headers']> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** `host[:port]` of the Host header, split. */
function hostAndPort(host: string | undefined): [string | undefined, number | undefined] {
  if (host === undefined || host === '') return [undefined, undefined];
  const colon = host.lastIndexOf(':');
  if (colon < 0 || host.endsWith(']')) return [host, undefined];
  const port = Number(host.slice(colon + 1));
  return [host.slice(0, colon), Number.isInteger(port) ? port : undefined];
}

/** Sets what is known once the response is finished, and ends the span. */
function endServerSpan(span: Span, res: ServerResponse, captureUser: boolean): void {
  const state = stateOf(res);
  const status = res.statusCode;
  const operation = state.operation;
  if (operation !== undefined) {
    span.updateName(`${operation.method.toUpperCase()} ${operation.path}`);
    span.setAttribute(ATTR_HTTP_ROUTE, operation.path);
    span.setAttribute(ATTR_OPERATION_ID, operation.operationId);
  }
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  if (captureUser && state.userId !== undefined) span.setAttribute(ATTR_USER_ID, state.userId);
  const errorType = state.errorType ?? (res.writableFinished ? undefined : 'aborted');
  if (errorType !== undefined) span.setAttribute(ATTR_ERROR_TYPE, errorType);
  // A SERVER span's status is ERROR for a 5xx (and a response cut short), not for a 4xx: the semantic conventions' rule.
  if (status >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
  span.end();
}

/** Creates the tracing stage. */
export function serverSpanStage(tracer: Tracer, propagator: W3CTraceContextPropagator, captureUser: boolean): RequestStage {
  return function tracingStage(req, res, next) {
    const parent = propagator.extract(ROOT_CONTEXT, req.headers, headerGetter);
    const method = req.method ?? 'GET';
    const span = tracer.startSpan(method, { kind: SpanKind.SERVER }, parent);
    const state = stateOf(res);
    state.trace = new RequestSpans(tracer, propagator, span);
    if (span.isRecording()) {
      const socket = req.socket as TLSSocket;
      const [address, port] = hostAndPort(req.headers.host);
      span.setAttribute(ATTR_HTTP_REQUEST_METHOD, method);
      span.setAttribute(ATTR_URL_SCHEME, socket.encrypted ? 'https' : 'http');
      span.setAttribute(ATTR_URL_PATH, state.path);
      if (address !== undefined) span.setAttribute(ATTR_SERVER_ADDRESS, address);
      if (port !== undefined) span.setAttribute(ATTR_SERVER_PORT, port);
      if (socket.remoteAddress !== undefined) span.setAttribute(ATTR_CLIENT_ADDRESS, socket.remoteAddress);
      const agent = req.headers['user-agent'];
      if (agent !== undefined) span.setAttribute(ATTR_USER_AGENT_ORIGINAL, agent);
      res.once('close', () => endServerSpan(span, res, captureUser));
    }
    next();
  };
}
