/**
 * The only reader of process.env: every setting is parsed, checked and frozen here, and every
 * problem is reported at once so an operator fixes a bad deployment in one pass.
 * The names are the ones in README and .env.example; each section (and its defaults) has a file here.
 */

import { contractPolicy, type ContractConfig } from './contract.js';
import { cors, type CorsConfig } from './cors.js';
import { database, type DatabaseConfig } from './database.js';
import { httpTimeouts, listen, type HttpTimeouts } from './http.js';
import { jwt, type JwtConfig } from './jwt.js';
import { limits, type LimitsConfig } from './limits.js';
import { metrics, type MetricsConfig } from './metrics.js';
import { withDotEnv, type Env } from './readers.js';
import { warningsFor } from './risks.js';
import { specFetch, type SpecFetchConfig } from './spec-fetch.js';
import { tracing, type TracingConfig } from './tracing.js';
import { upstream, type UpstreamConfig } from './upstream.js';

export type { ContractConfig } from './contract.js';
export type { DatabaseConfig, DbDriver } from './database.js';
export type { LimitsConfig } from './limits.js';
export type { MetricsConfig } from './metrics.js';
export type { TracingConfig } from './tracing.js';
export type { UpstreamConfig } from './upstream.js';
export type { SpecFetchConfig } from './spec-fetch.js';
export { DEVELOPMENT_JWT_SECRET } from './jwt.js';
export { databaseRefusal } from './risks.js';
export { upstreamUrlProblem } from './upstream.js';
export { withDotEnv } from './readers.js';

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
  readonly http: HttpTimeouts;
  /** Risky but valid settings, logged loudly at start-up (production on embedded PGlite, no CORS origin). */
  readonly warnings: readonly string[];
  readonly cors: CorsConfig;
  readonly jwt: JwtConfig;
  /** Gateway mode: where operations without a handler are forwarded and how (docs/gateway.md). */
  readonly upstream: UpstreamConfig;
  /** Live reload's breaking-change policy and sunset enforcement (RELOAD_ALLOW_BREAKING, SUNSET_ENFORCE). */
  readonly contract: ContractConfig;
  /** How a document given as an http(s) URL is fetched at start-up (SPEC_FETCH_TIMEOUT_MS). */
  readonly specFetch: SpecFetchConfig;
  /** OpenTelemetry tracing from the standard OTEL_* variables (docs/observability.md); off unless an OTLP endpoint is named. */
  readonly tracing: TracingConfig;
}

/** Thrown by loadConfig with one line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}").`);
  const { port, host, workers } = listen(env, problems);
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
    cors: cors(env, production, problems),
    jwt: jwt(env, production, problems),
    http: httpTimeouts(env, problems),
    warnings: [],
    upstream: upstream(env, production, problems),
    contract: contractPolicy(env, problems),
    specFetch: specFetch(env, problems),
    tracing: tracing(env, problems),
  };
  config.warnings = warningsFor(config);
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

/** For `npm run diff`, which needs no server settings: SPEC_FETCH_TIMEOUT_MS alone; throws ConfigError when it is bad. */
export function loadSpecFetchConfig(env: Env = withDotEnv()): SpecFetchConfig {
  const problems: string[] = [];
  const config = specFetch(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
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
