import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSnapshot } from '../testing/database.js';
import { MIGRATIONS_DIR, migrate } from './migrate.js';
import { openPglite } from './pglite.js';
import { DataDirLockedError, LOCK_FILE } from './pglite-lock.js';
import { findTask, insertTask } from './tasks.js';

const root = mkdtempSync(join(tmpdir(), 'specgate-pglite-'));
let snapshot = '';
beforeAll(async () => {
  snapshot = await testSnapshot();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const shipped = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();

describe('a file-backed database started from the migrated snapshot', () => {
  it('starts migrated, keeps a task across a restart, and is not unpacked over again', { timeout: 120_000 }, async () => {
    const folder = join(root, 'fresh');
    const first = await openPglite(folder, snapshot);
    expect(await migrate(first)).toEqual([]);
    const task = await insertTask(first, 'user-1', { title: 'survives a restart', description: null });
    await first.close();

    const again = await openPglite(folder, snapshot);
    try {
      expect(await migrate(again)).toEqual([]);
      expect(await findTask(again, 'user-1', task.id)).toEqual(task);
    } finally {
      await again.close();
    }
  });

  it('refuses a second opener while the folder is held, and releases the lock on close', { timeout: 120_000 }, async () => {
    const folder = join(root, 'held');
    const db = await openPglite(folder, snapshot);
    await expect(openPglite(folder, snapshot)).rejects.toBeInstanceOf(DataDirLockedError);
    await insertTask(db, 'user-1', { title: 'still here', description: null });
    await db.close();
    expect(existsSync(join(folder, LOCK_FILE))).toBe(false);
    const reopened = await openPglite(folder, snapshot);
    try {
      expect(await reopened.query('SELECT title FROM tasks')).toEqual([{ title: 'still here' }]);
    } finally {
      await reopened.close();
    }
  });
});

describe('a folder created before the snapshot existed (initdb, then migrations)', () => {
  it('opens with its data and gets only the migrations it lacks', { timeout: 180_000 }, async () => {
    const folder = join(root, 'initdb');
    const olderMigrations = join(root, 'older-migrations');
    cpSync(MIGRATIONS_DIR, olderMigrations, { recursive: true });
    rmSync(join(olderMigrations, shipped.at(-1)!));

    const old = await openPglite(folder);
    expect(await migrate(old, olderMigrations)).toEqual(shipped.slice(0, -1));
    const task = await insertTask(old, 'user-1', { title: 'made before', description: null });
    await old.close();

    const db = await openPglite(folder, snapshot);
    try {
      expect(await migrate(db)).toEqual(shipped.slice(-1));
      expect(await findTask(db, 'user-1', task.id)).toEqual(task);
    } finally {
      await db.close();
    }
  });
});
