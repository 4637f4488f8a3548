/**
 * A migrated PGlite data folder, dumped once (by `npm run build`, or per test run) and restored
 * instead of running initdb and the migrations again: initdb in PGlite 0.5 boots a second
 * PostgreSQL just to create the folder, which is most of a fresh start's time and memory
 * (docs/database.md, "Embedded start-up"). The file's name carries a digest of the PGlite version
 * and initdb arguments and of every migration file, so a snapshot that no longer matches is simply not found.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS_DIR, migrate } from './migrate.js';
import { PGLITE_START_PARAMS, pgliteDatabase } from './pglite.js';

/**
 * initdb's extra arguments for the snapshot: 1 MB WAL segments instead of 16 MB, so a new folder
 * is written with 7 MB of WAL rather than one mostly empty 16 MB file (29 MB in all instead of 38).
 */
const INITDB_PARAMS = ['--wal-segsize=1'];

/** The PGlite package version this process runs. */
export function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The snapshot's file name for this PGlite version and these migration files. */
export function snapshotName(migrationsDir: string = MIGRATIONS_DIR): string {
  const hash = createHash('sha256').update(`pglite ${pgliteVersion()}\ninitdb ${INITDB_PARAMS.join(' ')}\n`);
  for (const file of readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort()) {
    hash.update(`${file}\n`).update(readFileSync(join(migrationsDir, file)));
  }
  return `pglite-migrated-${hash.digest('hex').slice(0, 16)}.tar.gz`;
}

/** The folder `npm run build` writes the snapshot to: beside this module in dist/. */
const BUNDLED_SNAPSHOT_DIR = dirname(fileURLToPath(import.meta.url));

/** The path of the matching snapshot in folder, or undefined when there is none. */
export function findSnapshot(folder: string = BUNDLED_SNAPSHOT_DIR, migrationsDir?: string): string | undefined {
  const file = join(folder, snapshotName(migrationsDir));
  return existsSync(file) ? file : undefined;
}

/** Makes the snapshot in folder unless it is already there; returns its path. Safe to race: each writer renames a complete file into place. */
export async function ensureSnapshot(folder: string, migrationsDir: string = MIGRATIONS_DIR): Promise<string> {
  const found = findSnapshot(folder, migrationsDir);
  if (found) return found;
  const pg = await PGlite.create('memory://', { startParams: [...PGLITE_START_PARAMS], initDbStartParams: INITDB_PARAMS });
  try {
    await migrate(pgliteDatabase(pg), migrationsDir);
    // A checkpoint first: the restored folder then starts without replaying the migrations' WAL.
    await pg.query('CHECKPOINT');
    const archive = Buffer.from(await (await pg.dumpDataDir('gzip')).arrayBuffer());
    const file = join(folder, snapshotName(migrationsDir));
    const partial = `${file}.${process.pid}.partial`;
    mkdirSync(folder, { recursive: true });
    writeFileSync(partial, archive);
    renameSync(partial, file);
    return file;
  } finally {
    await pg.close();
  }
}
