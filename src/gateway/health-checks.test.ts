/** Which path the active health check sends to each origin, and what its answer does to the breaker (a real upstream). */
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFrom } from '../contract/spec.js';
import { startTestUpstream, type TestUpstream } from '../testing/upstream.js';
import { CircuitBreaker } from './breaker.js';
import { declaredHealthPaths, HEALTH_CHECK_AGENT, startHealthChecks } from './health-checks.js';
import type { Origin } from './origin-pools.js';
import { pollUntil } from '../testing/poll-until.js';

const get = (operationId: string, extra: object = {}) => ({ get: { operationId, responses: { '200': { description: 'ok' } }, ...extra } });

describe('the declared health operation', () => {
  const contract = contractFrom({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/items/{id}/status': get('itemStatus'),
      '/status': get('status', { parameters: [{ name: 'verbose', in: 'query', required: true, schema: { type: 'string' } }] }),
      '/ping': get('ping'),
      '/healthz': get('healthz'),
      '/other/readyz': { post: { operationId: 'notGet', responses: { '200': { description: 'ok' } } } },
    },
  });

  it('is the best-named GET with no parameter to fill, under the base URL path, per origin', () => {
    const byOperation = new Map(contract.operations.map((op) => [op.operationId, 'http://a.test:8000/v1/']));
    expect(declaredHealthPaths(contract, byOperation)).toEqual(new Map([['http://a.test:8000', '/v1/healthz']]));
  });

  it('is absent for an origin none of whose operations is one', () => {
    const byOperation = new Map([['itemStatus', 'http://a.test'], ['status', 'http://a.test'], ['healthz', 'http://b.test']]);
    expect(declaredHealthPaths(contract, byOperation)).toEqual(new Map([['http://b.test', '/healthz']]));
  });
});

describe('an active health check', () => {
  let upstream: TestUpstream;
  let origin: Origin;
  beforeAll(async () => {
    upstream = await startTestUpstream();
    const name = new URL(upstream.url).origin;
    origin = { name, pool: new Pool(name), breaker: new CircuitBreaker(1, 600_000) };
  });
  afterAll(async () => {
    await origin.pool.close();
    await upstream.close();
  });

  it('GETs UPSTREAM_HEALTH_PATH over that path, and its 4xx answer closes an open circuit', async () => {
    origin.breaker.failed();
    expect(origin.breaker.health()).toBe('open');
    const checks = startHealthChecks({ origins: new Map([[origin.name, origin]]), configuredPath: '/backend/cases/detail-404', declared: new Map([[origin.name, '/ignored']]), intervalMs: 100, timeoutMs: 1000 });
    await pollUntil(() => origin.breaker.health() === 'up', { tries: 50, everyMs: 20 });
    checks.stop();
    expect(origin.breaker.health()).toBe('up');
    expect(upstream.healthChecks.map((c) => [c.method, c.url, c.headers['user-agent']])).toEqual([['GET', '/backend/cases/detail-404', HEALTH_CHECK_AGENT]]);
    // Closed and answered: no more checks, and a stopped timer sends none either.
    await new Promise((r) => setTimeout(r, 300));
    expect(upstream.healthChecks).toHaveLength(1);
  });

  it('leaves the circuit open on a 5xx', async () => {
    origin.breaker.failed();
    const checks = startHealthChecks({ origins: new Map([[origin.name, origin]]), configuredPath: '/backend/cases/html-500', declared: new Map(), intervalMs: 100, timeoutMs: 1000 });
    const before = upstream.healthChecks.length;
    await pollUntil(() => upstream.healthChecks.length >= before + 2, { tries: 50, everyMs: 20 });
    checks.stop();
    expect(upstream.healthChecks.length).toBeGreaterThanOrEqual(before + 2);
    expect(origin.breaker.health()).toBe('open');
  });
});
