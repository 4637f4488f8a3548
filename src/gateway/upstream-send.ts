/**
 * One upstream request through its origin's pool: an idempotent method is retried once on a
 * connection failure; what the upstream caused (no connection, a reset, no answer in time, an
 * answer that is not HTTP) is told to the breaker and the observer and becomes a 502 or 504. A
 * request the gateway itself could not send (undici refusing an argument, the client gone) is never
 * held against the upstream: one client must not open the circuit for everyone.
 */
import type { Dispatcher } from 'undici';
import type { OperationInfo } from '../contract/spec.js';
import { badGateway, gatewayTimeout, internalError } from '../errors.js';
import type { UpstreamSpan } from '../tracing/tracing.js';
import type { UpstreamObserver } from './forward.js';
import { poolFor, type Target } from './origin-pools.js';
import { UpstreamCall, type UpstreamHead } from './upstream-call.js';

/** What is sent upstream: undici's dispatch options, the origin being the target's. */
export type UpstreamRequest = Omit<Dispatcher.DispatchOptions, 'origin'> & { readonly method: Dispatcher.HttpMethod };

/** The client of one forwarded request: whether it went away, and what to tell when it does. */
export interface ClientWatch {
  readonly gone: boolean;
  /** The request now in flight, given up if the client goes away. */
  call: UpstreamCall | undefined;
}

/** Methods retried once on a connection failure (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

const CONNECTION_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection dropped',
  UND_ERR_CLOSED: 'connection dropped',
  ENOTFOUND: 'host name did not resolve',
  EAI_AGAIN: 'host name did not resolve',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
/** Failures of the gateway's own making: the request was never put on the wire, or was given up by us. */
const NOT_SENT = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_ABORTED', 'ABORT_ERR', 'ERR_INVALID_CHAR', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_HTTP_TOKEN', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'UND_ERR_DESTROYED']);

const codeOf = (error: unknown): string => String((error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code ?? '');

/**
 * Sends `options` to the target's origin with undici's dispatch() (src/gateway/upstream-call.ts);
 * the answer's head, or undefined when the client went away (`client`). Throws 504 on a timeout
 * and 502 on any other failure. The request's CLIENT span, when traced, ends with the answer's
 * status or the failure.
 */
export async function sendUpstream(
  op: OperationInfo,
  target: Target,
  options: UpstreamRequest,
  observer: UpstreamObserver | undefined,
  span?: UpstreamSpan,
  client?: ClientWatch,
): Promise<UpstreamHead | undefined> {
  for (let attempt = 0; ; attempt++) {
    const sent = observer ? performance.now() : 0;
    const call = new UpstreamCall();
    try {
      if (client !== undefined) {
        if (client.gone) call.abort();
        client.call = call;
      }
      poolFor(target.origin, options.method).dispatch(options as Dispatcher.DispatchOptions, call);
      const answer = await call.head;
      observer?.answered(target.origin.name, (performance.now() - sent) / 1000);
      span?.answered(answer.statusCode);
      return answer;
    } catch (error) {
      if (call.aborted) {
        target.origin.breaker.abandoned();
        span?.failed('aborted');
        return undefined;
      }
      const code = codeOf(error);
      if (NOT_SENT.has(code)) {
        // The breaker may have let this request through as its probe; it did not probe anything.
        target.origin.breaker.abandoned();
        span?.failed('internal_error');
        throw internalError(error);
      }
      const connection = CONNECTION_FAILURES[code];
      if (connection !== undefined && attempt === 0 && IDEMPOTENT.has(options.method)) continue;
      target.origin.breaker.failed();
      observer?.failed(target.origin.name, TIMEOUTS.has(code) ? 'timeout' : 'connection');
      const refusal = TIMEOUTS.has(code)
        ? gatewayTimeout(`The upstream for ${op.operationId} did not answer within ${options.headersTimeout} ms.`, error)
        : badGateway(`The upstream for ${op.operationId} could not be reached (${connection ?? 'broken answer'}).`, error);
      span?.failed(refusal.errorType);
      throw refusal;
    }
  }
}
