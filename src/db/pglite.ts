/**
 * Embedded PostgreSQL (PGlite): the default when DATABASE_URL is unset, file-backed under
 * ./.data, or in memory for `memory://`.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.js';
import { lockDataDir } from './pglite-lock.js';

/** Opens (creating if needed) an embedded database at dataDir; a folder another live process holds is refused. */
export async function openPglite(dataDir: string): Promise<Database> {
  let release = () => {};
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir);
  } catch (error) {
    release();
    throw error;
  }
  const run = (target: Pick<PGlite, 'query'>): Queryable['query'] =>
    async (sql, params = []) => (await target.query(sql, params as unknown[])).rows as never;
  return {
    driver: 'pglite',
    query: run(pg),
    transaction: (fn) => pg.transaction((tx) => fn({ query: run(tx) })),
    ping: async () => {
      await pg.query('select 1');
    },
    close: async () => {
      try {
        await pg.close();
      } finally {
        release();
      }
    },
  };
}
