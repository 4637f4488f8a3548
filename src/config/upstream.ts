/** How the gateway forwards to upstreams: UPSTREAM_* (docs/gateway.md). */

import { integer, list, oneOf, type Env } from './readers.js';

/** What a contract-breaking upstream answer does: a 502 (enforce), a log line, metric and header (report), nothing (off). */
export type ResponseValidation = 'enforce' | 'report' | 'off';

/** Where operations without a handler are forwarded, and how. */
export interface UpstreamConfig {
  /** Base URL for operations with neither a handler nor x-specgate-upstream (UPSTREAM_URL). */
  readonly url: string | undefined;
  /** Milliseconds to the upstream's response head, and between two body chunks (UPSTREAM_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** GET and HEAD requests in flight at once on one upstream connection; 1 (the default) turns HTTP/1.1 pipelining off (UPSTREAM_PIPELINING). */
  readonly pipelining: number;
  /** `normalize` upstream error bodies into the uniform body, or `pass` them (UPSTREAM_ERRORS). */
  readonly errors: 'normalize' | 'pass';
  /** What a contract-breaking upstream answer does in the Tasks API (UPSTREAM_RESPONSE_VALIDATION; enforce outside production). */
  readonly responseValidation: ResponseValidation;
  /** The same in gateway mode (`npm run gateway`), where it defaults to report everywhere: the backend's contract is its own. */
  readonly gatewayResponseValidation: ResponseValidation;
  /** The header that carries the verified `sub` upstream (UPSTREAM_USER_HEADER). */
  readonly userHeader: string;
  /** Token claims sent upstream, each as `X-User-<Claim>` (UPSTREAM_CLAIM_HEADERS). */
  readonly claimHeaders: readonly string[];
  /** Whether the client's Authorization header goes upstream (UPSTREAM_AUTHORIZATION). */
  readonly forwardAuthorization: boolean;
  /** Consecutive connection failures or timeouts that open an upstream's circuit (UPSTREAM_BREAKER_FAILURES). */
  readonly breakerFailures: number;
  /** Seconds an open circuit answers 503 before one probe goes through (UPSTREAM_BREAKER_COOLDOWN). */
  readonly breakerCooldown: number;
  /** The path on each upstream origin the active health check GETs; undefined: a declared health operation, else `/` (UPSTREAM_HEALTH_PATH). */
  readonly healthPath: string | undefined;
  /** Milliseconds between two active health checks of an origin whose circuit is open or that never answered (UPSTREAM_HEALTH_INTERVAL_MS). */
  readonly healthIntervalMs: number;
  /** Idempotency records kept in memory at most, oldest evicted first (IDEMPOTENCY_MAX_ENTRIES). */
  readonly idempotencyMaxEntries: number;
  /** Bytes of stored answers kept in memory at most, oldest evicted first (IDEMPOTENCY_MAX_BYTES). */
  readonly idempotencyMaxBytes: number;
  /** Request headers with `_` in their name: dropped before forwarding, or the request refused 400 (UPSTREAM_UNDERSCORE_HEADERS). */
  readonly underscoreHeaders: 'drop' | 'refuse';
  /** `npm run gateway -- --mock-missing`: an operation the upstream answers 404 or 501 is answered by the mock instead (never from the environment). */
  readonly mockMissing?: boolean;
}

/** The forwarding settings when unset; the Tasks API's response validation depends on NODE_ENV (enforce, report in production), the gateway's is report. */
export const UPSTREAM_DEFAULTS = Object.freeze({
  timeoutMs: 30_000,
  pipelining: 1,
  errors: 'normalize',
  userHeader: 'X-User-Id',
  forwardAuthorization: true,
  breakerFailures: 5,
  breakerCooldown: 10,
  healthIntervalMs: 5000,
  idempotencyMaxEntries: 10_000,
  idempotencyMaxBytes: 64 * 1024 * 1024,
  underscoreHeaders: 'drop',
} as const);

const VALIDATION_MODES = ['enforce', 'report', 'off'] as const;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Checks an upstream base URL (UPSTREAM_URL, --upstream, x-specgate-upstream); returns a problem or undefined. */
export function upstreamUrlProblem(name: string, raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${name} is not a URL (got "${raw}"). Example: http://127.0.0.1:8001`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${name} must use http:// or https:// (got "${raw}").`;
  if (url.search !== '' || url.hash !== '') return `${name} must not have a query or fragment (got "${raw}").`;
  return undefined;
}

/** UPSTREAM_URL, the header settings, the timeout and the breaker, checked. */
export function upstream(env: Env, production: boolean, problems: string[]): UpstreamConfig {
  const url = env.UPSTREAM_URL || undefined;
  const urlProblem = url === undefined ? undefined : upstreamUrlProblem('UPSTREAM_URL', url);
  if (urlProblem) problems.push(urlProblem);
  const userHeader = env.UPSTREAM_USER_HEADER || UPSTREAM_DEFAULTS.userHeader;
  if (!HEADER_NAME.test(userHeader)) problems.push(`UPSTREAM_USER_HEADER must be a header name (got "${userHeader}").`);
  const claims = list(env, 'UPSTREAM_CLAIM_HEADERS');
  for (const claim of claims) if (!/^[A-Za-z0-9_-]+$/.test(claim)) problems.push(`UPSTREAM_CLAIM_HEADERS has "${claim}", which is not a claim name (letters, digits, _ and -).`);
  const healthPath = env.UPSTREAM_HEALTH_PATH || undefined;
  if (healthPath !== undefined && !/^\/[^?#\s]*(\?[^#\s]*)?$/.test(healthPath)) problems.push(`UPSTREAM_HEALTH_PATH must be a path starting with / (got "${healthPath}"). Example: /healthz`);
  return {
    url,
    timeoutMs: integer(env, 'UPSTREAM_TIMEOUT_MS', UPSTREAM_DEFAULTS.timeoutMs, 1, 3_600_000, problems),
    pipelining: integer(env, 'UPSTREAM_PIPELINING', UPSTREAM_DEFAULTS.pipelining, 1, 64, problems),
    errors: oneOf(env, 'UPSTREAM_ERRORS', ['normalize', 'pass'] as const, UPSTREAM_DEFAULTS.errors, problems),
    responseValidation: oneOf(env, 'UPSTREAM_RESPONSE_VALIDATION', VALIDATION_MODES, production ? 'report' : 'enforce', problems),
    gatewayResponseValidation: oneOf(env, 'UPSTREAM_RESPONSE_VALIDATION', VALIDATION_MODES, 'report', []),
    userHeader,
    claimHeaders: claims,
    forwardAuthorization: oneOf(env, 'UPSTREAM_AUTHORIZATION', ['forward', 'strip'] as const, UPSTREAM_DEFAULTS.forwardAuthorization ? 'forward' : 'strip', problems) === 'forward',
    breakerFailures: integer(env, 'UPSTREAM_BREAKER_FAILURES', UPSTREAM_DEFAULTS.breakerFailures, 1, 1000, problems),
    breakerCooldown: integer(env, 'UPSTREAM_BREAKER_COOLDOWN', UPSTREAM_DEFAULTS.breakerCooldown, 1, 3600, problems),
    healthPath,
    healthIntervalMs: integer(env, 'UPSTREAM_HEALTH_INTERVAL_MS', UPSTREAM_DEFAULTS.healthIntervalMs, 100, 600_000, problems),
    idempotencyMaxEntries: integer(env, 'IDEMPOTENCY_MAX_ENTRIES', UPSTREAM_DEFAULTS.idempotencyMaxEntries, 1, 100_000_000, problems),
    idempotencyMaxBytes: integer(env, 'IDEMPOTENCY_MAX_BYTES', UPSTREAM_DEFAULTS.idempotencyMaxBytes, 1024 * 1024, 64 * 1024 * 1024 * 1024, problems),
    underscoreHeaders: oneOf(env, 'UPSTREAM_UNDERSCORE_HEADERS', ['drop', 'refuse'] as const, UPSTREAM_DEFAULTS.underscoreHeaders, problems),
  };
}
