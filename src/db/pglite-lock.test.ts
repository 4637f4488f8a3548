import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from './pglite-lock.js';

const folder = mkdtempSync(join(tmpdir(), 'specgate-lock-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Another process that takes the folder's lock and holds it until killed. */
async function holder() {
  const lock = fileURLToPath(new URL('pglite-lock.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), '-e', `import(${JSON.stringify(lock)}).then((m) => { m.lockDataDir(${JSON.stringify(folder)}); console.log('locked'); setInterval(() => {}, 1000); })`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child;
}

it('a second process is refused, naming the folder and the holder; a dead holder lock is taken over', async () => {
  const child = await holder();
  expect(readFileSync(join(folder, LOCK_FILE), 'utf8')).toBe(String(child.pid));
  expect(() => lockDataDir(folder)).toThrow(
    new DataDirLockedError(folder, child.pid!),
  );
  expect(() => lockDataDir(folder)).toThrow(
    `the PGlite folder ${folder} is in use by process ${child.pid}; stop that process, or set PGLITE_DATA_DIR to another folder (or DATABASE_URL to share a PostgreSQL server)`,
  );
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const release = lockDataDir(folder);
  expect(readFileSync(join(folder, LOCK_FILE), 'utf8')).toBe(String(process.pid));
  expect(() => lockDataDir(folder)).toThrow(DataDirLockedError);
  release();
  lockDataDir(folder)();
});

it('a lock naming this process pid from a previous life (a restarted container) is taken over', () => {
  writeFileSync(join(folder, LOCK_FILE), String(process.pid));
  const release = lockDataDir(folder);
  release();
});
