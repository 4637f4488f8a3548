/** Chooses and opens the database driver the configuration names. */
import type { DatabaseConfig } from '../config.js';
import type { Database } from './database.js';
import { openNeon } from './neon.js';
import { openPg } from './pg.js';
import { openPglite } from './pglite.js';

/** Opens PGlite when no DATABASE_URL is configured, node-postgres or Neon otherwise (DB_DRIVER forces one). */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.driver === 'pglite' || config.url === undefined) return openPglite(config.dataDir);
  const options = {
    url: config.url,
    max: config.poolMax,
    connectTimeoutMs: config.connectTimeoutMs,
    connectRetries: config.connectRetries,
    statementTimeoutMs: config.statementTimeoutMs,
  };
  return config.driver === 'neon' ? openNeon({ ...options, wsProxy: config.neonWsProxy }) : openPg(options);
}
