/**
 * The only reader of process.env: every setting is parsed, checked and frozen here, and every
 * problem is reported at once so an operator fixes a bad deployment in one pass.
 * The names are the ones in README and .env.example.
 */

import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { JWKS_ALGORITHMS, SECRET_ALGORITHMS } from './auth/algorithms.js';
import { DEFAULT_JWKS_OPTIONS } from './auth/jwks.js';
import { DEFAULT_TOKEN_CACHE_OPTIONS } from './auth/token-cache.js';
import { SHUTDOWN_GRACE_MS } from './serve/shutdown.js';

/** The development-only HS256 secret, documented in README; refused when NODE_ENV=production. */
export const DEVELOPMENT_JWT_SECRET = 'specgate-development-secret-do-not-use-in-production';

const DEVELOPMENT_ORIGINS = [
  'http://localhost:3000',
  'http://localhost:5173',
  'http://127.0.0.1:3000',
  'http://127.0.0.1:5173',
];

export type DbDriver = 'pglite' | 'pg' | 'neon';

const DRIVERS: readonly DbDriver[] = ['pglite', 'pg', 'neon'];

/** Where the API's data lives and how hard it tries to reach it (docs/database.md). */
export interface DatabaseConfig {
  readonly driver: DbDriver;
  /** Whether DB_DRIVER named the driver (production refuses an implicit embedded PGlite). */
  readonly driverExplicit: boolean;
  readonly url: string | undefined;
  readonly dataDir: string;
  readonly poolMax: number;
  /** How long a query waits for a free pooled connection before 503 pool_exhausted (DB_POOL_TIMEOUT_MS). */
  readonly poolTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly connectRetries: number;
  readonly statementTimeoutMs: number;
  readonly neonWsProxy: string | undefined;
}

/** Rate limits from the contract and where their budgets live (docs/scaling.md). */
export interface LimitsConfig {
  /** RATE_LIMITS=off ignores every x-specgate-rate-limit (load tests); on by default. */
  readonly enabled: boolean;
  /** REDIS_URL: budgets shared by every instance; unset → in this process's memory. */
  readonly redisUrl: string | undefined;
  /** REDIS_PREFIX: what every key this server writes starts with. */
  readonly redisPrefix: string;
  /** RATE_LIMIT_FAILURE=closed: 503 while Redis is down, instead of letting requests through. */
  readonly failClosed: boolean;
  /** TRUST_PROXY: how many proxy hops' X-Forwarded-For entries to believe for `by: ip`. */
  readonly trustProxy: number;
}

/** Where Prometheus scrapes GET /metrics: a listener of its own, off the API port (docs/scaling.md). */
export interface MetricsConfig {
  /** METRICS_PORT; undefined (unset) turns metrics off. */
  readonly port: number | undefined;
  /** METRICS_HOST: the interface the metrics listener binds to; HOST by default. */
  readonly host: string;
}

/** The validated, frozen settings the whole server runs on. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** WORKERS: server processes sharing the port (node:cluster); 1 runs no primary. */
  readonly workers: number;
  readonly metrics: MetricsConfig;
  readonly production: boolean;
  readonly logLevel: string;
  readonly database: DatabaseConfig;
  readonly limits: LimitsConfig;
  /** The HTTP server's timeouts, in milliseconds (src/serve/server-timeouts.ts, README). */
  readonly http: {
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    /** SHUTDOWN_TIMEOUT_MS: how long a draining server lets in-flight requests finish; unset → 10 s, or in gateway mode the upstream timeout plus 1 s if that is longer. */
    readonly shutdownTimeoutMs: number | undefined;
  };
  /** Risky but valid settings, logged loudly at start-up (production on embedded PGlite, no CORS origin). */
  readonly warnings: readonly string[];
  readonly cors: {
    readonly origins: readonly string[];
    readonly originRegex: RegExp | undefined;
    readonly maxAge: number;
  };
  readonly jwt: {
    /** The HS256 secret, or undefined when only JWKS_URL is configured. */
    readonly secret: string | undefined;
    readonly usingDevelopmentSecret: boolean;
    readonly jwksUrl: string | undefined;
    /** What JWT_SECRET may verify, after JWT_ALGORITHMS narrowed it (empty: no secret source). */
    readonly secretAlgorithms: readonly string[];
    /** What the JWKS keys may verify, after JWT_ALGORITHMS narrowed it (empty: no JWKS source). */
    readonly jwksAlgorithms: readonly string[];
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
    readonly clockTolerance: number;
    /** Verified tokens kept (JWT_CACHE_SIZE); 0 turns the cache off. */
    readonly cacheSize: number;
    /** Seconds a verified token is kept at most, even before its exp (JWT_CACHE_MAX_AGE). */
    readonly cacheMaxAge: number;
    /** Seconds after which the JWKS is refetched in the background (JWKS_MAX_AGE). */
    readonly jwksMaxAge: number;
    /** Minimum seconds between two JWKS fetches caused by unknown kids (JWKS_COOLDOWN). */
    readonly jwksCooldown: number;
  };
  /** Gateway mode: where operations without a handler are forwarded and how (docs/gateway.md). */
  readonly upstream: UpstreamConfig;
}

/** How the gateway forwards to upstreams (docs/gateway.md). */
export interface UpstreamConfig {
  /** Base URL for operations with neither a handler nor x-specgate-upstream (UPSTREAM_URL). */
  readonly url: string | undefined;
  /** Milliseconds to the upstream's response head, and between two body chunks (UPSTREAM_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** `normalize` upstream error bodies into the uniform body, or `pass` them (UPSTREAM_ERRORS). */
  readonly errors: 'normalize' | 'pass';
  /** What a contract-breaking upstream answer does (UPSTREAM_RESPONSE_VALIDATION). */
  readonly responseValidation: 'enforce' | 'report' | 'off';
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
}

/** Thrown by loadConfig with one line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}").`);
    return fallback;
  }
  return value;
}

const EXAMPLE_ORIGINS = 'CORS_ORIGINS=https://app.example.com,https://staging.example.com';

function originProblem(origin: string): string | undefined {
  if (origin === '*') {
    return `CORS_ORIGINS cannot be "*": browsers refuse "*" on credentialed requests, and it would let any site read your users' data. List each frontend, e.g. ${EXAMPLE_ORIGINS}, or set CORS_ORIGIN_REGEX.`;
  }
  if (origin === 'null') {
    return 'CORS_ORIGINS cannot be "null": sandboxed iframes and file:// pages send it, so any of them could read responses. Serve the frontend from http(s) and list that origin.';
  }
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `CORS_ORIGINS has "${origin}", which is not an origin. Write scheme://host[:port], e.g. ${origin.includes('://') ? 'https://app.example.com' : `http://${origin}`}.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `CORS_ORIGINS has "${origin}", which is not an http(s) origin. Write it with its scheme, e.g. http://${origin}.`;
  }
  if (url.origin !== origin) {
    return `CORS_ORIGINS has "${origin}"; a browser sends the origin as scheme://host[:port] in lower case, without path, query, trailing slash or default port. Write "${url.origin}".`;
  }
  return undefined;
}

function origins(env: Env, production: boolean, problems: string[]): string[] {
  const raw = env.CORS_ORIGINS;
  if (raw === undefined || raw.trim() === '') return production ? [] : [...DEVELOPMENT_ORIGINS];
  const list = raw.split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const origin of list) {
    const problem = originProblem(origin);
    if (problem) problems.push(problem);
  }
  return list;
}

function originRegex(env: Env, problems: string[]): RegExp | undefined {
  const raw = env.CORS_ORIGIN_REGEX;
  if (raw === undefined || raw === '') return undefined;
  const example = 'Example: CORS_ORIGIN_REGEX=^https://[a-z0-9-]+\\.example\\.com$';
  let regex: RegExp;
  try {
    regex = new RegExp(raw.startsWith('^') ? raw : `^${raw}`);
  } catch {
    problems.push(`CORS_ORIGIN_REGEX is not a valid regular expression (got "${raw}"). ${example}`);
    return undefined;
  }
  // Without `$`, https://app.example.com would also match https://app.example.com.evil.net.
  if (!raw.endsWith('$')) {
    problems.push(`CORS_ORIGIN_REGEX must end with "$" so no longer origin matches (got "${raw}"). ${example}`);
  }
  if (regex.test('null') || regex.test('https://evil.invalid')) {
    problems.push(`CORS_ORIGIN_REGEX "${raw}" matches any origin, which is "*" with credentials. ${example}`);
  }
  return regex;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T, problems: string[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (values.includes(raw as T)) return raw as T;
  problems.push(`${name} must be ${values.map((v) => `"${v}"`).join(' or ')} (got "${raw}").`);
  return fallback;
}

function metrics(env: Env, host: string, apiPort: number, problems: string[]): MetricsConfig {
  const unset = env.METRICS_PORT === undefined || env.METRICS_PORT === '';
  const port = unset ? undefined : integer(env, 'METRICS_PORT', 0, 0, 65535, problems);
  if (port !== undefined && port !== 0 && port === apiPort) problems.push(`METRICS_PORT must differ from PORT (both ${port}): /metrics has a listener of its own, outside the API.`);
  return { port, host: env.METRICS_HOST || host };
}

function limits(env: Env, problems: string[]): LimitsConfig {
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must start with redis:// or rediss://.');
  return {
    enabled: oneOf(env, 'RATE_LIMITS', ['on', 'off'], 'on', problems) === 'on',
    redisUrl,
    redisPrefix: env.REDIS_PREFIX || 'specgate:',
    failClosed: oneOf(env, 'RATE_LIMIT_FAILURE', ['open', 'closed'], 'open', problems) === 'closed',
    trustProxy: integer(env, 'TRUST_PROXY', 0, 0, 10, problems),
  };
}

/** Neon's hosts (ep-NAME.REGION.aws.neon.tech, pooled or direct) get the Neon driver unless DB_DRIVER says otherwise. */
const isNeonHost = (url: string): boolean => {
  try {
    return /(^|\.)neon\.tech$/i.test(new URL(url).hostname);
  } catch {
    return false;
  }
};

function database(env: Env, problems: string[]): DatabaseConfig {
  const url = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  const forced = env.DB_DRIVER === '' ? undefined : env.DB_DRIVER;
  if (forced !== undefined && !DRIVERS.includes(forced as DbDriver)) {
    problems.push(`DB_DRIVER must be "pglite", "pg" or "neon" (got "${forced}").`);
  }
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://.');
  }
  const auto: DbDriver = url === undefined ? 'pglite' : isNeonHost(url) ? 'neon' : 'pg';
  const driver = DRIVERS.includes(forced as DbDriver) ? (forced as DbDriver) : auto;
  if (driver !== 'pglite' && url === undefined) problems.push(`DB_DRIVER=${driver} needs DATABASE_URL.`);
  return {
    driver,
    driverExplicit: DRIVERS.includes(forced as DbDriver),
    url,
    dataDir: env.PGLITE_DATA_DIR || './.data',
    poolMax: integer(env, 'DB_POOL_MAX', 10, 1, 1000, problems),
    poolTimeoutMs: integer(env, 'DB_POOL_TIMEOUT_MS', 2000, 10, 120_000, problems),
    connectTimeoutMs: integer(env, 'DB_CONNECT_TIMEOUT_MS', 5000, 100, 120_000, problems),
    connectRetries: integer(env, 'DB_CONNECT_RETRIES', 2, 0, 10, problems),
    statementTimeoutMs: integer(env, 'DB_STATEMENT_TIMEOUT_MS', 10_000, 0, 3_600_000, problems),
    neonWsProxy: env.NEON_WS_PROXY || undefined,
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function jwksUrl(env: Env, production: boolean, problems: string[]): string | undefined {
  const raw = env.JWKS_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`JWKS_URL is not a URL (got "${raw}"). Example: https://<project>.supabase.co/auth/v1/.well-known/jwks.json`);
    return undefined;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (!production || LOOPBACK.has(url.hostname)))) {
    problems.push(`JWKS_URL must use https:// (http:// only for localhost, or outside production) (got "${raw}").`);
  }
  return url.href;
}

function algorithms(env: Env, offered: { secret: boolean; jwks: boolean }, problems: string[]) {
  const secret: string[] = offered.secret ? [...SECRET_ALGORITHMS] : [];
  const jwks: string[] = offered.jwks ? [...JWKS_ALGORITHMS] : [];
  const raw = env.JWT_ALGORITHMS;
  if (raw === undefined || raw.trim() === '') return { secret, jwks };
  const wanted = raw.split(',').map((a) => a.trim()).filter((a) => a !== '');
  const allowed = [...secret, ...jwks];
  const refused = wanted.filter((a) => !allowed.includes(a));
  if (refused.length > 0) {
    const sources = [offered.secret && `JWT_SECRET: ${SECRET_ALGORITHMS.join(', ')}`, offered.jwks && `JWKS_URL: ${JWKS_ALGORITHMS.join(', ')}`];
    problems.push(
      `JWT_ALGORITHMS has ${refused.map((a) => `"${a}"`).join(', ')}, which the configured key sources do not allow ` +
        `(${sources.filter(Boolean).join('; ') || 'none configured'}). It can only narrow that list.`,
    );
  }
  if (wanted.length === 0) problems.push('JWT_ALGORITHMS must name at least one algorithm when set.');
  return { secret: secret.filter((a) => wanted.includes(a)), jwks: jwks.filter((a) => wanted.includes(a)) };
}

function jwt(env: Env, production: boolean, problems: string[]): Config['jwt'] {
  const configured = env.JWT_SECRET === '' ? undefined : env.JWT_SECRET;
  const url = jwksUrl(env, production, problems);
  const hasJwks = env.JWKS_URL !== undefined && env.JWKS_URL !== '';
  const usingDevelopmentSecret = configured === undefined && !hasJwks && !production;
  const secret = usingDevelopmentSecret ? DEVELOPMENT_JWT_SECRET : configured;
  if (configured === undefined && !hasJwks && production) {
    problems.push('JWT_SECRET or JWKS_URL is required when NODE_ENV=production (a key source to verify bearer tokens).');
  }
  if (configured !== undefined && Buffer.byteLength(configured) < 32) problems.push('JWT_SECRET must be at least 32 bytes long.');
  if (production && configured === DEVELOPMENT_JWT_SECRET) {
    problems.push('JWT_SECRET must not be the documented development secret when NODE_ENV=production.');
  }
  const algs = algorithms(env, { secret: secret !== undefined, jwks: hasJwks }, problems);
  return {
    secret,
    usingDevelopmentSecret,
    jwksUrl: url,
    secretAlgorithms: algs.secret,
    jwksAlgorithms: algs.jwks,
    issuer: env.JWT_ISSUER || undefined,
    audience: env.JWT_AUDIENCE || undefined,
    clockTolerance: integer(env, 'JWT_CLOCK_TOLERANCE', 5, 0, 300, problems),
    cacheSize: integer(env, 'JWT_CACHE_SIZE', DEFAULT_TOKEN_CACHE_OPTIONS.maxEntries, 0, 1_000_000, problems),
    cacheMaxAge: integer(env, 'JWT_CACHE_MAX_AGE', DEFAULT_TOKEN_CACHE_OPTIONS.maxAgeMs / 1000, 1, 3600, problems),
    jwksMaxAge: integer(env, 'JWKS_MAX_AGE', DEFAULT_JWKS_OPTIONS.maxAgeMs / 1000, 30, 86_400, problems),
    jwksCooldown: integer(env, 'JWKS_COOLDOWN', DEFAULT_JWKS_OPTIONS.cooldownMs / 1000, 1, 3600, problems),
  };
}

function httpTimeouts(env: Env, problems: string[]): Config['http'] {
  const timeouts = {
    headersTimeoutMs: integer(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 1000, 600_000, problems),
    requestTimeoutMs: integer(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 1000, 3_600_000, problems),
    keepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 5000, 1000, 600_000, problems),
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS === undefined || env.SHUTDOWN_TIMEOUT_MS === '' ? undefined : integer(env, 'SHUTDOWN_TIMEOUT_MS', SHUTDOWN_GRACE_MS, 100, 3_600_000, problems),
  };
  // Node refuses a head deadline later than the whole request's.
  if (timeouts.headersTimeoutMs > timeouts.requestTimeoutMs) {
    problems.push(`HTTP_HEADERS_TIMEOUT_MS (${timeouts.headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${timeouts.requestTimeoutMs}).`);
  }
  return timeouts;
}

/**
 * Why a server that stores data must not start on this configuration: production on embedded
 * PGlite that nobody chose (DB_DRIVER=pglite chooses it), or several workers on PGlite. The mock,
 * which stores nothing, never asks.
 */
export function databaseRefusal(config: Config): string | undefined {
  const { database } = config;
  // Each worker would open the one PGlite folder (refused) or a RAM database of its own.
  if (config.workers > 1 && database.driver === 'pglite') {
    return `WORKERS=${config.workers} needs DATABASE_URL (a PostgreSQL server): embedded PGlite serves one process, and every worker must see the same data.`;
  }
  if (!config.production || database.driver !== 'pglite' || database.driverExplicit) return undefined;
  return `NODE_ENV=production needs DATABASE_URL (a PostgreSQL server). To run on embedded PGlite in ${database.dataDir} anyway (one process, data on this machine's disk), set DB_DRIVER=pglite.`;
}

/** Risky settings production starts with anyway, each logged as a warning: embedded PGlite chosen on purpose, no CORS origin. */
function productionRisks(config: Omit<Config, 'warnings'>): string[] {
  if (!config.production) return [];
  const warnings: string[] = [];
  const { database, cors } = config;
  if (database.driver === 'pglite' && database.driverExplicit) {
    warnings.push(`PRODUCTION ON EMBEDDED PGLITE: the data lives in ${database.dataDir} on this machine only, one process at a time; set DATABASE_URL to use a PostgreSQL server.`);
  }
  if (cors.origins.length === 0 && cors.originRegex === undefined) {
    warnings.push('NO CORS ORIGIN IS ALLOWED: CORS_ORIGINS and CORS_ORIGIN_REGEX are unset, so every browser page calling this API is refused (servers and curl are not affected). Set CORS_ORIGINS=https://your-frontend.example.');
  }
  return warnings;
}

/** Several workers keeping rate-limit budgets in memory: each admits the whole limit. */
function workerRisks(config: Omit<Config, 'warnings'>): string[] {
  if (config.workers === 1 || config.limits.redisUrl !== undefined || !config.limits.enabled) return [];
  return [`WORKERS=${config.workers} without REDIS_URL: each worker keeps its own rate-limit budgets, so up to ${config.workers} times each limit is admitted; set REDIS_URL to share them.`];
}

/**
 * The environment with `.env` (in the working directory) filled in underneath it: a variable the
 * real environment sets wins over the file. Read like Node's --env-file, without a dependency.
 */
export function withDotEnv(env: Env = process.env, file = '.env'): Env {
  if (!existsSync(file)) return env;
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function choice<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T, problems: string[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (allowed.includes(raw as T)) return raw as T;
  problems.push(`${name} must be ${allowed.map((a) => `"${a}"`).join(' or ')} (got "${raw}").`);
  return fallback;
}

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

function upstream(env: Env, production: boolean, problems: string[]): UpstreamConfig {
  const url = env.UPSTREAM_URL || undefined;
  const urlProblem = url === undefined ? undefined : upstreamUrlProblem('UPSTREAM_URL', url);
  if (urlProblem) problems.push(urlProblem);
  const userHeader = env.UPSTREAM_USER_HEADER || 'X-User-Id';
  if (!HEADER_NAME.test(userHeader)) problems.push(`UPSTREAM_USER_HEADER must be a header name (got "${userHeader}").`);
  const claims = (env.UPSTREAM_CLAIM_HEADERS ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '');
  for (const claim of claims) if (!/^[A-Za-z0-9_-]+$/.test(claim)) problems.push(`UPSTREAM_CLAIM_HEADERS has "${claim}", which is not a claim name (letters, digits, _ and -).`);
  return {
    url,
    timeoutMs: integer(env, 'UPSTREAM_TIMEOUT_MS', 30_000, 1, 3_600_000, problems),
    errors: choice(env, 'UPSTREAM_ERRORS', ['normalize', 'pass'] as const, 'normalize', problems),
    responseValidation: choice(env, 'UPSTREAM_RESPONSE_VALIDATION', ['enforce', 'report', 'off'] as const, production ? 'report' : 'enforce', problems),
    userHeader,
    claimHeaders: claims,
    forwardAuthorization: choice(env, 'UPSTREAM_AUTHORIZATION', ['forward', 'strip'] as const, 'forward', problems) === 'forward',
    breakerFailures: integer(env, 'UPSTREAM_BREAKER_FAILURES', 5, 1, 1000, problems),
    breakerCooldown: integer(env, 'UPSTREAM_BREAKER_COOLDOWN', 10, 1, 3600, problems),
  };
}

/** Reads and validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}").`);
  const port = integer(env, 'PORT', 8000, 0, 65535, problems);
  const host = env.HOST || '0.0.0.0';
  const workers = integer(env, 'WORKERS', 1, 1, 64, problems);
  const databaseConfig = database(env, problems);
  const config: Omit<Config, 'warnings'> & { warnings: readonly string[] } = {
    port,
    host,
    workers,
    metrics: metrics(env, host, port, problems),
    production,
    logLevel,
    database: databaseConfig,
    limits: limits(env, problems),
    cors: {
      origins: origins(env, production, problems),
      originRegex: originRegex(env, problems),
      maxAge: integer(env, 'CORS_MAX_AGE', 600, 0, 86400, problems),
    },
    jwt: jwt(env, production, problems),
    http: httpTimeouts(env, problems),
    warnings: [],
    upstream: upstream(env, production, problems),
  };
  config.warnings = [...productionRisks(config), ...workerRisks(config)];
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof RegExp)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** For entry points: the configuration, or every problem on stderr and exit 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig(withDotEnv());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** For tests: the problems loadConfig reports for env, or none. */
export function configProblems(env: Env): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
