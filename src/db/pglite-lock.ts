/**
 * One process per PGlite folder: two processes writing the same embedded database corrupt it, so
 * the first holds `specgate.lock` (its pid) in the folder and a second is refused, naming the
 * folder and the holder. A lock whose process is gone (a crash, a SIGKILL) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InternalFault } from '../errors.js';

/** The lock file's name inside the data folder. */
export const LOCK_FILE = 'specgate.lock';

/** Thrown when another live process holds the folder. */
export class DataDirLockedError extends InternalFault {
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(`the PGlite folder ${folder} is in use by process ${pid}; stop that process, or set PGLITE_DATA_DIR to another folder (or DATABASE_URL to share a PostgreSQL server)`);
    this.name = 'DataDirLockedError';
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Folders this process holds: a lock file naming our own pid but not in here is a previous life's (a container restart reuses pids). */
const held = new Set<string>();

/** Takes the folder's lock for this process; returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  const folder = resolve(dataDir);
  const file = join(folder, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(folder);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(folder);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
    const ours = holder === process.pid && !held.has(folder);
    if (Number.isInteger(holder) && !ours && alive(holder)) throw new DataDirLockedError(folder, holder);
    rmSync(file, { force: true });
  }
}
