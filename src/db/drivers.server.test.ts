import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, neonProxy, testDriver, type TestDatabase } from '../testing/database.js';

let target: TestDatabase;
beforeAll(async () => {
  target = await createTestDatabase();
});
afterAll(() => target.drop());

it('runs on the driver its project names, and the Neon driver really speaks over the WebSocket proxy', async () => {
  expect(target.db.driver).toBe(testDriver());
  await target.db.transaction(async (tx) => {
    await tx.query("INSERT INTO tasks (id, user_id, title) VALUES (gen_random_uuid(), 'u', 'through the driver')");
  });
  expect(await target.db.query<{ title: string }>('SELECT title FROM tasks')).toEqual([{ title: 'through the driver' }]);
  if (testDriver() === 'neon') expect((await neonProxy()).connections).toBeGreaterThan(0);
});

it('applies DB_STATEMENT_TIMEOUT_MS to every connection it opens', async () => {
  const rows = await target.db.query<{ value: string }>("SELECT current_setting('statement_timeout') AS value");
  expect(rows).toEqual([{ value: '10s' }]);
});
