/** A PostgreSQL server through node-postgres (DATABASE_URL=postgres://…, DB_DRIVER=pg). */
import pg from 'pg';
import type { Database } from './database.js';
import { poolDatabase, type PoolLike } from './pool.js';

/** Pool settings a server connection uses (DB_POOL_MAX, DB_CONNECT_TIMEOUT_MS, DB_CONNECT_RETRIES, DB_STATEMENT_TIMEOUT_MS). */
export interface ServerOptions {
  readonly url: string;
  readonly max?: number;
  readonly connectTimeoutMs?: number;
  readonly connectRetries?: number;
  readonly statementTimeoutMs?: number;
}

/** Opens a pool; connections are made lazily, so a server that is down does not stop start-up. */
export function openPg(options: ServerOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
  });
  return poolDatabase('pg', pool as unknown as PoolLike, {
    connectRetries: options.connectRetries ?? 2,
    statementTimeoutMs: options.statementTimeoutMs ?? 10_000,
  });
}
