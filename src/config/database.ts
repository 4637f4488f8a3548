/** Where the API's data lives and how hard it tries to reach it: DATABASE_URL, DB_*, PGLITE_DATA_DIR, NEON_WS_PROXY (docs/database.md). */

import { integer, type Env } from './readers.js';

/** The database drivers DB_DRIVER may name. */
export type DbDriver = 'pglite' | 'pg' | 'neon';

const DRIVERS: readonly DbDriver[] = ['pglite', 'pg', 'neon'];

/** The database settings src/db/open.ts opens with. */
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

/** The pool and folder settings when unset; src/db/server-options.ts uses them too. */
export const DATABASE_DEFAULTS = Object.freeze({
  dataDir: './.data',
  poolMax: 10,
  poolTimeoutMs: 2000,
  connectTimeoutMs: 5000,
  connectRetries: 2,
  statementTimeoutMs: 10_000,
});

/** Neon's hosts (ep-NAME.REGION.aws.neon.tech, pooled or direct) get the Neon driver unless DB_DRIVER says otherwise. */
const isNeonHost = (url: string): boolean => {
  try {
    return /(^|\.)neon\.tech$/i.test(new URL(url).hostname);
  } catch {
    return false;
  }
};

/** DATABASE_URL and DB_DRIVER (the driver follows from the URL unless named), and the pool settings, checked. */
export function database(env: Env, problems: string[]): DatabaseConfig {
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
    dataDir: env.PGLITE_DATA_DIR || DATABASE_DEFAULTS.dataDir,
    poolMax: integer(env, 'DB_POOL_MAX', DATABASE_DEFAULTS.poolMax, 1, 1000, problems),
    poolTimeoutMs: integer(env, 'DB_POOL_TIMEOUT_MS', DATABASE_DEFAULTS.poolTimeoutMs, 10, 120_000, problems),
    connectTimeoutMs: integer(env, 'DB_CONNECT_TIMEOUT_MS', DATABASE_DEFAULTS.connectTimeoutMs, 100, 120_000, problems),
    connectRetries: integer(env, 'DB_CONNECT_RETRIES', DATABASE_DEFAULTS.connectRetries, 0, 10, problems),
    statementTimeoutMs: integer(env, 'DB_STATEMENT_TIMEOUT_MS', DATABASE_DEFAULTS.statementTimeoutMs, 0, 3_600_000, problems),
    neonWsProxy: env.NEON_WS_PROXY || undefined,
  };
}
