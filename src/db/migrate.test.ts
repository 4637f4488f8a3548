import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testSnapshot } from '../testing/database.js';
import type { Database } from './database.js';
import { MIGRATIONS_DIR, MigrationChecksumError, MigrationFailedError, migrate } from './migrate.js';
import { openPglite } from './pglite.js';
import { gateOnMigrations } from './readiness.js';

let dir = '';
let db: Database;

beforeAll(async () => {
  db = await openPglite('memory://', await testSnapshot());
});
afterAll(() => db.close());
// One embedded database for the file (creating one is slow); each test starts from an empty schema.
beforeEach(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = mkdtempSync(join(tmpdir(), 'specgate-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  await db.query('DROP SCHEMA public CASCADE');
  await db.query('CREATE SCHEMA public');
});

describe('migrate', () => {
  it('names the file and the SQLSTATE of a migration whose SQL fails, and applies none of the run', async () => {
    appendFileSync(join(dir, '900_broken.sql'), 'ALTER TABLE tasks ADD COLUMN;\n');
    const failure = migrate(db, dir);
    await expect(failure).rejects.toBeInstanceOf(MigrationFailedError);
    await expect(failure).rejects.toThrow('Migration 900_broken.sql failed (SQLSTATE 42601); fix it before starting again.');
    expect(await db.query("SELECT to_regclass('public.tasks') AS t")).toEqual([{ t: null }]);
  });

  it('applies each file once, in name order, and records it', async () => {
    appendFileSync(join(dir, '900_add_priority.sql'), 'ALTER TABLE tasks ADD COLUMN priority int;\n');
    const shipped = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
    expect(await migrate(db, dir)).toEqual([...shipped, '900_add_priority.sql']);
    expect(await migrate(db, dir)).toEqual([]);
    const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual([...shipped, '900_add_priority.sql']);
  });

  it('refuses an applied migration that was edited, naming the file, and applies nothing after it', async () => {
    await migrate(db, dir);
    appendFileSync(join(dir, '001_create_tasks.sql'), '\nCREATE INDEX tasks_title ON tasks (title);\n');
    appendFileSync(join(dir, '900_add_priority.sql'), 'ALTER TABLE tasks ADD COLUMN priority int;\n');
    const failure = migrate(db, dir);
    await expect(failure).rejects.toBeInstanceOf(MigrationChecksumError);
    await expect(failure).rejects.toThrow(
      'Migration 001_create_tasks.sql was edited after it was applied; restore it and add a new migration instead.',
    );
    expect(await db.query("SELECT 1 FROM schema_migrations WHERE version = '900_add_priority.sql'")).toEqual([]);
  });
});

describe('gateOnMigrations', () => {
  it('reports an edited migration as fatal and answers 503 instead of querying', async () => {
    await migrate(db, dir);
    appendFileSync(join(dir, '001_create_tasks.sql'), '\n-- edited\n');
    const fatal = new Promise<unknown>((resolve) => {
      const gate = gateOnMigrations(db, { migrationsDir: dir, onFatal: resolve });
      void gate.db.query('SELECT 1').catch(() => {});
    });
    expect(await fatal).toBeInstanceOf(MigrationChecksumError);
  });

  it('lets queries through once the migrations are applied', async () => {
    const gate = gateOnMigrations(db, { migrationsDir: dir, onFatal: () => {} });
    expect(await gate.db.query('SELECT count(*)::int AS n FROM tasks')).toEqual([{ n: 0 }]);
    expect(gate.ready).toBe(true);
    gate.stop();
  });
});
