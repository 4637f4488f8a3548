import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { createTestDatabase, databaseEnv, type TestDatabase } from '../testing/database.js';
import type { Database } from './database.js';
import { MIGRATIONS_DIR, migrate } from './migrate.js';
import { openDatabase } from './open.js';

let target: TestDatabase;
const others: Database[] = [];

beforeAll(async () => {
  target = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  for (const db of others) await db.close();
  await target.drop();
});

it('instances migrating the same database at once do not race: each file is applied exactly once', async () => {
  // Separate pools, as separate instances would have.
  for (let i = 0; i < 3; i++) others.push(await openDatabase(loadConfig(await databaseEnv(target.url!)).database));
  const results = await Promise.all([migrate(target.db), ...others.map((db) => migrate(db))]);
  const shipped = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
  expect(results.flat().sort()).toEqual(shipped);
  expect(await target.db.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(shipped.map((version) => ({ version })));
});
