/** The settings a connection to a PostgreSQL server takes, shared by node-postgres and Neon's driver. */

import { DATABASE_DEFAULTS } from '../config/database.js';

/** Pool settings a server connection uses (DB_POOL_MAX, DB_POOL_TIMEOUT_MS, DB_CONNECT_TIMEOUT_MS, DB_CONNECT_RETRIES, DB_STATEMENT_TIMEOUT_MS). */
export interface ServerOptions {
  readonly url: string;
  readonly max?: number;
  readonly poolTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly connectRetries?: number;
  readonly statementTimeoutMs?: number;
}

/** The driver's Pool options and poolDatabase's options, with their defaults. */
export function poolSettings(options: ServerOptions) {
  return {
    pool: { connectionString: options.url, max: options.max ?? DATABASE_DEFAULTS.poolMax, connectionTimeoutMillis: options.connectTimeoutMs ?? DATABASE_DEFAULTS.connectTimeoutMs },
    database: {
      max: options.max ?? DATABASE_DEFAULTS.poolMax,
      poolTimeoutMs: options.poolTimeoutMs ?? DATABASE_DEFAULTS.poolTimeoutMs,
      connectRetries: options.connectRetries ?? DATABASE_DEFAULTS.connectRetries,
      statementTimeoutMs: options.statementTimeoutMs ?? DATABASE_DEFAULTS.statementTimeoutMs,
    },
  };
}
