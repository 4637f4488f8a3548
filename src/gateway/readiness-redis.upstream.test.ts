/**
 * Gateway readiness and Redis (a redis-server of the test's own, stopped and started again): with
 * RATE_LIMIT_FAILURE=closed and a rate-limited operation, Redis down makes /readyz and /health 503,
 * as the limited operation then answers 503; with RATE_LIMIT_FAILURE=open it is only reported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore } from '../limits/redis-store.js';
import type { RateLimitStore } from '../limits/store.js';
import { createLogger } from '../logger.js';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { gatewaySpec, localHandlers } from '../testing/gateway-spec.js';
import { hasRedisServer, redisRequired, startOwnRedis, uniquePrefix, type OwnRedis } from '../testing/redis.js';
import { startTestUpstream, type TestUpstream } from '../testing/upstream.js';
import { pollUntil } from '../testing/poll-until.js';
import { declaredAnswerProblems } from '../testing/declared-answer.js';
import { expectNotReady } from '../testing/expect-refusal.js';

const run = hasRedisServer() || redisRequired();

/** The fixture with GET /cases/{case} rate-limited. */
function limitedSpec(upstream: string) {
  const spec = gatewaySpec(upstream);
  const cases = spec.paths['/cases/{case}'];
  const get = { ...cases.get, 'x-specgate-rate-limit': { requests: 1000, per: 60, by: 'ip' }, responses: { ...cases.get.responses, '429': { description: 'Too many requests' } } };
  return { ...spec, paths: { ...spec.paths, '/cases/{case}': { ...cases, get } } };
}

describe.runIf(run)('gateway readiness while Redis is down and back', () => {
  let redis: OwnRedis;
  let upstream: TestUpstream;
  let stores: RateLimitStore[];
  let closed: TestGateway;
  let open: TestGateway;
  let origin: string;

  beforeAll(async () => {
    redis = await startOwnRedis();
    upstream = await startTestUpstream();
    origin = new URL(upstream.url).origin;
    const prefix = uniquePrefix('gateway-readiness');
    stores = await Promise.all([redisStore(redis.url, prefix, createLogger('silent')), redisStore(redis.url, prefix, createLogger('silent'))]);
    const env = { UPSTREAM_URL: upstream.url };
    closed = await startTestGateway(limitedSpec(upstream.url), { ...env, RATE_LIMIT_FAILURE: 'closed' }, localHandlers, undefined, undefined, stores[0]);
    open = await startTestGateway(limitedSpec(upstream.url), { ...env, RATE_LIMIT_FAILURE: 'open' }, localHandlers, undefined, undefined, stores[1]);
  });
  afterAll(async () => {
    await Promise.all([closed?.close(), open?.close()]);
    await Promise.all((stores ?? []).map((store) => store.close()));
    await upstream?.close();
    await redis?.stop();
  });

  it('reports Redis up, then fails readiness only where its loss refuses requests, and recovers', async () => {
    const up = await closed.request('/readyz');
    expect([up.status, await up.json()]).toEqual([200, { status: 'ok', upstreams: [{ origin, state: 'up' }], redis: 'up' }]);

    const published = await (await closed.request('/openapi.json')).json();
    await redis.stop();
    const limited = await closed.request('/cases/ok');
    const text = await limited.text();
    expect([limited.status, JSON.parse(text).detail]).toEqual([503, 'The rate-limit store is unavailable. Try again shortly.']);
    expect(declaredAnswerProblems(published, 'getCase', limited, text)).toEqual([]);
    await pollUntil(() => !stores.some((store) => store.available));
    for (const path of ['/readyz', '/health']) {
      await expectNotReady(await closed.request(path), 'Not ready: Redis is down.', { upstreams: [{ origin, state: 'up' }], redis: 'down' }, '5', published);
    }
    const reported = await open.request('/health');
    expect([reported.status, await reported.json()]).toEqual([200, { status: 'ok', upstreams: [{ origin, state: 'up' }], redis: 'down' }]);
    expect((await closed.request('/livez')).status).toBe(200);

    await redis.start();
    await pollUntil(() => stores.every((store) => store.available));
    const back = await closed.request('/health');
    expect([back.status, await back.json()]).toEqual([200, { status: 'ok', upstreams: [{ origin, state: 'up' }], redis: 'up' }]);
  }, 30_000);
});
