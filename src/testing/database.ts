/**
 * A fresh, migrated database per test file: in-memory PGlite by default, or a database of its
 * own on the PostgreSQL server at TEST_DATABASE_URL when the suite runs as the `postgres` project.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openPg } from '../db/pg.js';
import { openPglite } from '../db/pglite.js';

/** A migrated database and how to throw it away. */
export interface TestDatabase {
  readonly db: Database;
  readonly url: string | undefined;
  drop(): Promise<void>;
}

/** Which driver this test run uses (set per vitest project). */
export const testDriver = (): 'pglite' | 'pg' => (process.env.TEST_DB === 'pg' ? 'pg' : 'pglite');

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates and migrates a throw-away database for the configured driver. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDriver() === 'pglite') {
    const db = await openPglite('memory://');
    await migrate(db);
    return { db, url: undefined, drop: () => db.close() };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DB=pg needs TEST_DATABASE_URL');
  const name = `specgate_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = openPg({ url: url.toString() });
  await migrate(db);
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
