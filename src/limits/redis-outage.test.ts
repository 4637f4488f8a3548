import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFrom, loadContract } from '../contract/spec.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, type TestDatabase } from '../testing/database.js';
import { declaredAnswerProblems } from '../testing/declared-answer.js';
import { hasRedisServer, redisRequired, startOwnRedis, uniquePrefix, type OwnRedis } from '../testing/redis.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';
import { redisStore } from './redis-store.js';
import type { RateLimitStore } from './store.js';
import { pollUntil } from '../testing/poll-until.js';

const run = hasRedisServer() || redisRequired();

/** openapi.yaml with createTask's budget at 2 a minute. */
function smallBudget() {
  const document = structuredClone(loadContract().document);
  document.paths['/api/tasks'].post['x-specgate-rate-limit'] = { requests: 2, per: 60, by: 'caller' };
  return contractFrom(document);
}

describe.runIf(run)('Redis down and back, through HTTP (a redis-server of its own)', () => {
  let redis: OwnRedis;
  let database: TestDatabase;
  let stores: RateLimitStore[];
  let open: TestServer;
  let closed: TestServer;
  beforeAll(async () => {
    redis = await startOwnRedis();
    database = await createTestDatabase();
    const log = createLogger('silent');
    const prefix = uniquePrefix('outage-http');
    stores = await Promise.all([redisStore(redis.url, prefix, log), redisStore(redis.url, prefix, log)]);
    const contract = smallBudget();
    open = await startTestServer({ contract, db: database.db, rateLimitStore: stores[0] });
    closed = await startTestServer({ contract, db: database.db, rateLimitStore: stores[1], env: { RATE_LIMIT_FAILURE: 'closed' } });
  });
  afterAll(async () => {
    await Promise.all([open?.close(), closed?.close()]);
    await Promise.all(stores.map((s) => s.close()));
    await database?.drop();
    await redis?.stop();
  });

  const create = (server: TestServer, token: string) =>
    server.request('/api/tasks', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'while Redis is down' }) });

  it('shares one budget between the two instances while Redis is up', async () => {
    const token = await mintToken('outage-up');
    const statuses = [(await create(open, token)).status, (await create(closed, token)).status, (await create(open, token)).status];
    expect(statuses).toEqual([201, 201, 429]);
    expect(await (await open.request('/health')).json()).toMatchObject({ status: 'ok', redis: 'up' });
  });

  it('fails open without RateLimit fields, fails closed with 503, reports it on /health, and recovers', async () => {
    const token = await mintToken('outage-down');
    await redis.stop();
    const passed = await create(open, token);
    expect(passed.status).toBe(201);
    expect(passed.headers.get('ratelimit')).toBeNull();
    expect(passed.headers.get('ratelimit-policy')).toBeNull();
    const refused = await create(closed, token);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    // The 503 is one the API's published contract declares on createTask, body and headers.
    const published = await (await closed.request('/openapi.json')).json();
    expect(declaredAnswerProblems(published, 'createTask', refused, await refused.clone().text())).toEqual([]);
    expect(await refused.json()).toEqual({
      detail: 'The rate-limit store is unavailable. Try again shortly.',
      status_code: 503,
      error_type: 'service_unavailable',
      request_id: refused.headers.get('x-request-id'),
    });
    // Only limited operations depend on Redis.
    expect((await closed.request('/api/tasks', { token })).status).toBe(200);
    const healthOpen = await open.request('/health');
    expect([healthOpen.status, await healthOpen.json()]).toEqual([200, { status: 'ok', database: 'up', redis: 'down', version: '0.1.0' }]);
    const healthClosed = await closed.request('/health');
    expect([healthClosed.status, await healthClosed.json()]).toEqual([503, { status: 'degraded', database: 'up', redis: 'down', version: '0.1.0' }]);

    await redis.start();
    await pollUntil(() => stores.every((s) => s.available));
    const back = await create(closed, token);
    expect(back.status).toBe(201);
    expect(back.headers.get('ratelimit')).toMatch(/^"createTask";r=1;t=\d+$/);
  });
});
