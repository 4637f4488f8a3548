/**
 * The HTTP server's timeouts, set on purpose rather than left at Node's defaults (a 60 s head
 * deadline checked every 30 s, a 5 min request deadline): a request head must arrive within
 * HTTP_HEADERS_TIMEOUT_MS, the whole request (head and body) within HTTP_REQUEST_TIMEOUT_MS, and
 * the deadlines are checked every second, so a client sending its body a byte a second is cut
 * within HTTP_REQUEST_TIMEOUT_MS + 1 s with a 408. An idle keep-alive connection is closed after
 * HTTP_KEEP_ALIVE_TIMEOUT_MS.
 */
import type { Server, ServerOptions } from 'node:http';
import { HTTP_TIMEOUT_DEFAULTS } from '../config/http.js';
import type { Config } from '../config/index.js';

/** How often Node checks the head and request deadlines, in milliseconds. */
export const DEADLINE_CHECK_MS = 1000;

/** The deadlines used when none are configured (tests, the mock, the bench): the config defaults. */
export const DEFAULT_TIMEOUTS: Config['http'] = HTTP_TIMEOUT_DEFAULTS;

/** The createServer options that carry the deadlines. */
export function timeoutOptions(timeouts: Config['http'] = DEFAULT_TIMEOUTS): ServerOptions {
  return {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    connectionsCheckingInterval: DEADLINE_CHECK_MS,
  };
}

/** Sets what createServer's options do not carry (the keep-alive idle time) on a new server. */
export function applyTimeouts(server: Server, timeouts: Config['http'] = DEFAULT_TIMEOUTS): Server {
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = timeouts.requestTimeoutMs;
  return server;
}
