/** A PostgreSQL server through node-postgres (DATABASE_URL=postgres://…). */
import pg from 'pg';
import type { Database, Queryable } from './database.js';

/** Pool settings a PostgreSQL server connection uses. */
export interface PgOptions {
  readonly url: string;
  readonly max?: number;
  readonly connectTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
}

/** Opens a pool; connections are made lazily, so a server that is down does not stop start-up. */
export function openPg(options: PgOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    statement_timeout: options.statementTimeoutMs ?? 10000,
  });
  // An idle client that loses its server emits 'error' on the pool; the next query reconnects.
  pool.on('error', () => {});
  const query: Queryable['query'] = async (sql, params = []) => (await pool.query(sql, params as unknown[])).rows;
  return {
    driver: 'pg',
    query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async (sql, params = []) => (await client.query(sql, params as unknown[])).rows });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}
