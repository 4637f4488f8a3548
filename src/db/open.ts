/**
 * Chooses and opens the database driver the configuration names. Each driver is imported only
 * when chosen: embedded PGlite alone adds about 47 MiB to the process, which a server on
 * PostgreSQL should not carry (docs/performance.md).
 */
import type { DatabaseConfig } from '../config/index.js';
import type { Database } from './database.js';

/** Opens PGlite when no DATABASE_URL is configured (a new one from the build's migrated snapshot), node-postgres or Neon otherwise (DB_DRIVER forces one). */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.driver === 'pglite' || config.url === undefined) {
    const [{ openPglite }, { findSnapshot }] = await Promise.all([import('./pglite.js'), import('./pglite-snapshot.js')]);
    return openPglite(config.dataDir, findSnapshot());
  }
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
