/**
 * Chooses and opens the database driver the configuration names. Each driver is imported only
 * when chosen: embedded PGlite alone adds about 47 MiB to the process, which a server on
 * PostgreSQL should not carry (docs/performance.md).
 */
import type { DatabaseConfig } from '../config/index.js';
import type { Database } from './database.js';

/** Opens PGlite when no DATABASE_URL is configured, node-postgres or Neon otherwise (DB_DRIVER forces one). */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.driver === 'pglite' || config.url === undefined) return (await import('./pglite.js')).openPglite(config.dataDir);
  const options = {
    url: config.url,
    max: config.poolMax,
    poolTimeoutMs: config.poolTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    connectRetries: config.connectRetries,
    statementTimeoutMs: config.statementTimeoutMs,
  };
  if (config.driver === 'neon') return (await import('./neon.js')).openNeon({ ...options, wsProxy: config.neonWsProxy });
  return (await import('./pg.js')).openPg(options);
}
