/** What a valid configuration still must not start with (databaseRefusal), or starts with only after a loud warning. */

import type { Config } from './index.js';

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

/** Every warning Config.warnings carries, in the order they are logged. */
export const warningsFor = (config: Omit<Config, 'warnings'>): string[] => [...productionRisks(config), ...workerRisks(config)];
