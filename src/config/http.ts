/** The API listener's settings: PORT, HOST, WORKERS and the HTTP server's timeouts (src/serve/server-timeouts.ts, README). */

import { integer, type Env } from './readers.js';

/** The HTTP server's timeouts, in milliseconds (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS, SHUTDOWN_TIMEOUT_MS). */
export interface HttpTimeouts {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** SHUTDOWN_TIMEOUT_MS: how long a draining server lets in-flight requests finish; unset → 10 s, or in gateway mode the upstream timeout plus 1 s if that is longer. */
  readonly shutdownTimeoutMs: number | undefined;
}

/** The listener the API runs on. */
export interface ListenConfig {
  readonly port: number;
  readonly host: string;
  /** WORKERS: server processes sharing the port (node:cluster); 1 runs no primary. */
  readonly workers: number;
}

/** The deadlines used when none are configured (tests, the mock, the bench) and when the variables are unset. */
export const HTTP_TIMEOUT_DEFAULTS: HttpTimeouts = Object.freeze({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000, shutdownTimeoutMs: undefined });

/** How long in-flight requests may take before their connections are cut, when SHUTDOWN_TIMEOUT_MS is unset (src/serve/shutdown.ts). */
export const SHUTDOWN_GRACE_MS = 10_000;

/** PORT, HOST and WORKERS when unset. */
export const LISTEN_DEFAULTS: ListenConfig = Object.freeze({ port: 8000, host: '0.0.0.0', workers: 1 });

/** PORT, HOST and WORKERS, checked. */
export function listen(env: Env, problems: string[]): ListenConfig {
  return {
    port: integer(env, 'PORT', LISTEN_DEFAULTS.port, 0, 65535, problems),
    host: env.HOST || LISTEN_DEFAULTS.host,
    workers: integer(env, 'WORKERS', LISTEN_DEFAULTS.workers, 1, 64, problems),
  };
}

/** The three HTTP timeouts, checked against each other. */
export function httpTimeouts(env: Env, problems: string[]): HttpTimeouts {
  const timeouts = {
    headersTimeoutMs: integer(env, 'HTTP_HEADERS_TIMEOUT_MS', HTTP_TIMEOUT_DEFAULTS.headersTimeoutMs, 1000, 600_000, problems),
    requestTimeoutMs: integer(env, 'HTTP_REQUEST_TIMEOUT_MS', HTTP_TIMEOUT_DEFAULTS.requestTimeoutMs, 1000, 3_600_000, problems),
    keepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', HTTP_TIMEOUT_DEFAULTS.keepAliveTimeoutMs, 1000, 600_000, problems),
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS === undefined || env.SHUTDOWN_TIMEOUT_MS === '' ? undefined : integer(env, 'SHUTDOWN_TIMEOUT_MS', SHUTDOWN_GRACE_MS, 100, 3_600_000, problems),
  };
  // Node refuses a head deadline later than the whole request's.
  if (timeouts.headersTimeoutMs > timeouts.requestTimeoutMs) {
    problems.push(`HTTP_HEADERS_TIMEOUT_MS (${timeouts.headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${timeouts.requestTimeoutMs}).`);
  }
  return timeouts;
}
