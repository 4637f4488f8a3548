/**
 * Embedded PostgreSQL (PGlite): the default when DATABASE_URL is unset, file-backed under
 * ./.data, or in memory for `memory://`. Given a migrated snapshot (src/db/pglite-snapshot.ts), a
 * new database starts from it instead of from initdb: a fresh folder is unpacked from it before
 * PGlite opens the folder, `memory://` loads it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.js';
import { lockDataDir } from './pglite-lock.js';
import { extractTar } from './tar.js';

/** The file PostgreSQL writes last when it creates a data folder; a folder without it is new (or an unfinished unpacking). */
const VERSION_FILE = 'PG_VERSION';

/**
 * PGlite's start parameters with 16 MB of shared buffers instead of PostgreSQL's 128 MB: the
 * buffers are allocated and zeroed in WebAssembly memory at every start, which cost about 0.7 s of
 * CPU and 140 MiB of RSS; one process's embedded data fits the smaller cache.
 */
export const PGLITE_START_PARAMS: readonly string[] = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

const options = (extra: Omit<PGliteOptions, 'startParams'> = {}): PGliteOptions => ({ ...extra, startParams: [...PGLITE_START_PARAMS] });

const readArchive = (file: string) => {
  const bytes = readFileSync(file);
  return file.endsWith('.gz') ? gunzipSync(bytes) : bytes;
};

/** Opens PGlite on dataDir, from the snapshot when the database is new. */
async function create(dataDir: string, snapshot: string | undefined): Promise<PGlite> {
  if (snapshot === undefined) return PGlite.create(dataDir, options());
  if (dataDir.startsWith('memory://')) return PGlite.create(dataDir, options({ loadDataDir: new Blob([readArchive(snapshot)]) }));
  if (!existsSync(join(dataDir, VERSION_FILE))) extractTar(readArchive(snapshot), dataDir, VERSION_FILE);
  return PGlite.create(dataDir, options());
}

/** The Database interface over an open PGlite; release runs after it closes. */
export function pgliteDatabase(pg: PGlite, release: () => void = () => {}): Database {
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

/** Opens (creating if needed, from snapshot when given) an embedded database at dataDir; a folder another live process holds is refused. */
export async function openPglite(dataDir: string, snapshot?: string): Promise<Database> {
  let release = () => {};
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  try {
    return pgliteDatabase(await create(dataDir, snapshot), release);
  } catch (error) {
    release();
    throw error;
  }
}
