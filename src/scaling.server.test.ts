/**
 * Three real instances sharing one PostgreSQL database and the shared Redis (a key prefix of
 * their own): a rate limit holds across all of them, and idempotent retries create one task
 * however they are spread, even when the instance that took the first request is killed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseEnv, testDriver, withClient, type TestDatabase } from './testing/database.js';
import { startInstance, type Instance } from './testing/instances.js';
import { SHARED_REDIS_URL, uniquePrefix } from './testing/redis.js';
import { ALLOWED_ORIGIN } from './testing/server.js';
import { mintToken } from './testing/tokens.js';

// One driver is enough for process-level behaviour; the neon project would only repeat it.
describe.runIf(testDriver() === 'pg')('several instances, one database, one Redis', () => {
  let database: TestDatabase;
  let instances: Instance[];
  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { ...(await databaseEnv(database.url!)), REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: uniquePrefix('instances') };
    instances = await Promise.all([startInstance(env), startInstance(env), startInstance(env)]);
  });
  afterAll(async () => {
    await Promise.all((instances ?? []).map((i) => i.stop('SIGKILL')));
    await database?.drop();
  });

  const create = (instance: Instance, token: string, title: string, key?: string) =>
    fetch(`${instance.url}/api/tasks`, {
      method: 'POST',
      headers: { origin: ALLOWED_ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify({ title }),
    });
  const countTitled = (title: string) =>
    withClient(async (c) => Number((await c.query('SELECT count(*) AS n FROM tasks WHERE title = $1', [title])).rows[0].n), database.url);

  it("a burst from one caller spread over every instance admits createTask's 60, plus at most one per second it took", async () => {
    const token = await mintToken(`burst-${randomUUID()}`);
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 90 }, (_, i) => create(instances[i % 3]!, token, 'burst')));
    const seconds = (Date.now() - started) / 1000;
    const statuses = answers.map((r) => r.status);
    const admitted = statuses.filter((s) => s === 201).length;
    expect(statuses.filter((s) => s !== 201 && s !== 429)).toEqual([]);
    // GCRA in one Lua script is exact across instances; only its refill (one a second) adds to the 60.
    expect(admitted).toBeGreaterThanOrEqual(60);
    expect(admitted).toBeLessThanOrEqual(60 + Math.ceil(seconds));
    expect(await countTitled('burst')).toBe(admitted);
  });

  it('the same Idempotency-Key sent to every instance at once creates one task', async () => {
    const token = await mintToken(`retry-${randomUUID()}`);
    const title = `retried ${randomUUID()}`;
    const key = randomUUID();
    const answers = await Promise.all(instances.flatMap((i) => [create(i, token, title, key), create(i, token, title, key)]));
    expect(answers.map((r) => r.status).filter((s) => s !== 201 && s !== 409)).toEqual([]);
    expect(answers.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await countTitled(title)).toBe(1);
  });

  it('a retry after the instance that took the first request was killed creates exactly one task', async () => {
    const token = await mintToken(`killed-${randomUUID()}`);
    const title = `killed ${randomUUID()}`;
    const key = randomUUID();
    const [victim, survivor] = [instances[0]!, instances[1]!];
    const first = create(victim, token, title, key).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 5));
    await victim.stop('SIGKILL');
    await first;
    let retry = await create(survivor, token, title, key);
    // The killed backend's transaction may hold its advisory lock until PostgreSQL notices: 409 says retry.
    for (let i = 0; i < 50 && retry.status === 409; i++) {
      await new Promise((r) => setTimeout(r, 100));
      retry = await create(survivor, token, title, key);
    }
    expect(retry.status).toBe(201);
    expect(await countTitled(title)).toBe(1);
    const again = await create(instances[2]!, token, title, key);
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(await countTitled(title)).toBe(1);
  });
});
