/** Chooses and opens the database driver the configuration names. */
import type { Config } from '../config.js';
import type { Database } from './database.js';
import { openPg } from './pg.js';
import { openPglite } from './pglite.js';

/** Opens PGlite when no DATABASE_URL is configured, node-postgres otherwise. */
export async function openDatabase(config: Config['database']): Promise<Database> {
  if (config.driver === 'pg' && config.url !== undefined) return openPg({ url: config.url });
  return openPglite(config.dataDir);
}
