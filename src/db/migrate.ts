/**
 * Applies the versioned SQL files in src/db/migrations in name order, once each, in one
 * transaction under an advisory lock so instances starting together do not race. A checksum
 * per file detects an applied migration that was edited afterwards and refuses to go on.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InternalFault } from '../errors.js';
import type { Database } from './database.js';
import { isConnectionError } from './errors.js';

/** The folder holding NNN_name.sql migration files. */
export const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url).pathname;

const LOCK_KEY = 7_310_442_001;

/** Thrown when an applied migration's file no longer matches what was applied. */
export class MigrationChecksumError extends InternalFault {
  constructor(readonly file: string) {
    super(`Migration ${file} was edited after it was applied; restore it and add a new migration instead.`);
    this.name = 'MigrationChecksumError';
  }
}

/** Thrown when a migration's SQL fails: names the file and the SQLSTATE, not the database's message. */
export class MigrationFailedError extends InternalFault {
  constructor(readonly file: string, readonly sqlstate: string | undefined) {
    super(`Migration ${file} failed${sqlstate ? ` (SQLSTATE ${sqlstate})` : ''}; fix it before starting again.`);
    this.name = 'MigrationFailedError';
  }
}

/** Applies every pending migration; returns the names of those it applied. */
export async function migrate(db: Database, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const rows = await tx.query<{ version: string; checksum: string }>('SELECT version, checksum FROM schema_migrations');
    const applied = new Map(rows.map((r) => [r.version, r.checksum]));
    const done: string[] = [];
    for (const file of files) {
      const sql = readFileSync(join(dir, file), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = applied.get(file);
      if (previous !== undefined) {
        if (previous !== checksum) throw new MigrationChecksumError(file);
        continue;
      }
      try {
        for (const statement of splitStatements(sql)) await tx.query(statement);
      } catch (error) {
        // A lost connection is retried by the caller; anything else is this file's fault.
        if (isConnectionError(error)) throw error;
        throw new MigrationFailedError(file, (error as { code?: string }).code);
      }
      await tx.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [file, checksum]);
      done.push(file);
    }
    return done;
  });
}

/** Splits a migration file into statements (the files hold no semicolons inside literals or bodies). */
function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
