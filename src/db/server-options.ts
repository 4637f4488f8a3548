/** The settings a connection to a PostgreSQL server takes, shared by node-postgres and Neon's driver. */

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
    pool: { connectionString: options.url, max: options.max ?? 10, connectionTimeoutMillis: options.connectTimeoutMs ?? 5000 },
    database: {
      max: options.max ?? 10,
      poolTimeoutMs: options.poolTimeoutMs ?? 2000,
      connectRetries: options.connectRetries ?? 2,
      statementTimeoutMs: options.statementTimeoutMs ?? 10_000,
    },
  };
}
