/** A PostgreSQL server through node-postgres (DATABASE_URL=postgres://…, DB_DRIVER=pg). */
import pg from 'pg';
import type { Database } from './database.js';
import { poolDatabase, type PoolLike } from './pool.js';
import { poolSettings, type ServerOptions } from './server-options.js';

export type { ServerOptions } from './server-options.js';

/** Opens a pool; connections are made lazily, so a server that is down does not stop start-up. */
export function openPg(options: ServerOptions): Database {
  const settings = poolSettings(options);
  return poolDatabase('pg', new pg.Pool(settings.pool) as unknown as PoolLike, settings.database);
}
