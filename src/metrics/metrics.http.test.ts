/**
 * GET /metrics as Prometheus scrapes it, on a listener of its own (METRICS_PORT), after real
 * requests to the Tasks API and to a gateway in front of a real upstream: exact series values for
 * requests by operation, status and error_type, replays, rate-limit rejections, the pool, Redis,
 * and upstream latency and failures. /metrics is not part of the API: the API port answers 404.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { contractFrom, loadContract } from '../contract/spec.js';
import { redisStore } from '../limits/redis-store.js';
import type { RateLimitStore } from '../limits/store.js';
import { createLogger } from '../logger.js';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { gatewaySpec, localHandlers } from '../testing/gateway-spec.js';
import { hasRedisServer, redisRequired, SHARED_REDIS_URL, uniquePrefix } from '../testing/redis.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';
import { startTestUpstream, type TestUpstream } from '../testing/upstream.js';
import { createMetrics, type Metrics } from './metrics.js';
import { closeMetrics, serveMetrics } from './server.js';

const silent = createLogger('silent');

/** Serves `metrics` on an ephemeral port of 127.0.0.1, as METRICS_PORT=0 would. */
async function listen(metrics: Metrics): Promise<{ url: string; server: Server }> {
  const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', METRICS_PORT: '0' });
  const server = await serveMetrics(config.metrics, () => metrics.registry.metrics(), silent);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, server };
}

/** The scrape's lines that start with `prefix` (series only, no HELP/TYPE). */
async function series(url: string, prefix: string): Promise<string[]> {
  const text = await (await fetch(url)).text();
  return text.split('\n').filter((line) => line.startsWith(prefix));
}

/** createTask's budget per caller here: per hour, so no token comes back while a slow machine sends them. */
const BUDGET = 3;

/** The Tasks contract with createTask limited to `requests` an hour per caller. */
function createTaskBudget(requests: number) {
  const document = structuredClone(loadContract().document);
  document.paths['/api/tasks'].post['x-specgate-rate-limit'] = { requests, per: 3600, by: 'caller' };
  return contractFrom(document);
}

// Budgets in the shared Redis (a prefix of their own) where there is one, to see specgate_redis_up.
const withRedis = hasRedisServer() || redisRequired();

describe('the Tasks API counted on METRICS_PORT', () => {
  let api: TestServer;
  let store: RateLimitStore | undefined;
  let scrape: { url: string; server: Server };
  let token: string;
  beforeAll(async () => {
    const metrics = createMetrics();
    store = withRedis ? await redisStore(SHARED_REDIS_URL, uniquePrefix('metrics'), silent) : undefined;
    api = await startTestServer({ metrics, rateLimitStore: store, contract: createTaskBudget(BUDGET) });
    scrape = await listen(metrics);
    token = await mintToken(`metrics-${randomUUID()}`);
  });
  afterAll(async () => {
    await closeMetrics(scrape?.server);
    await api?.close();
    await store?.close();
  });

  it('counts each answer by operation, status and error_type, with its latency and any replay', async () => {
    expect((await api.request(`/api/tasks/${randomUUID()}`, { token })).status).toBe(404);
    const key = `"${randomUUID()}"`;
    const create = () => api.request('/api/tasks', { method: 'POST', token, headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: '{"title":"counted"}' });
    expect((await create()).status).toBe(201);
    expect((await create()).headers.get('idempotent-replayed')).toBe('true');
    expect((await api.request('/no/such/path')).status).toBe(404);

    const lines = await series(scrape.url, 'specgate_');
    expect(lines).toContain('specgate_http_requests_total{operation="getTask",status="404",error_type="not_found"} 1');
    expect(lines).toContain('specgate_http_requests_total{operation="createTask",status="201"} 2');
    expect(lines).toContain('specgate_http_requests_total{status="404",error_type="not_found"} 1');
    expect(lines).toContain('specgate_idempotent_replays_total{operation="createTask"} 1');
    expect(lines).toContain('specgate_http_request_duration_seconds_count{operation="createTask"} 2');
    expect(lines).toContain('specgate_http_request_duration_seconds_bucket{operation="createTask",le="+Inf"} 2');
    expect(lines).toContain('specgate_rate_limit_rejections_total{policy="createTask"} 0');
    if (api.db.pool) {
      expect(lines).toContain('specgate_db_pool_in_use 0');
      expect(lines).toContain('specgate_db_pool_waiting 0');
    }
    if (withRedis) expect(lines).toContain('specgate_redis_up 1');
  });

  it("counts a caller's createTask over its budget as a rate-limit rejection", async () => {
    const caller = await mintToken(`limited-${randomUUID()}`);
    // The caller's budget is spent before validation, so invalid bodies (400, nothing written) spend it too.
    const statuses = [];
    for (let i = 0; i <= BUDGET; i++) statuses.push((await api.request('/api/tasks', { method: 'POST', token: caller, headers: { 'content-type': 'application/json' }, body: '{}' })).status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(BUDGET);
    expect(statuses.at(-1)).toBe(429);
    const lines = await series(scrape.url, 'specgate_');
    expect(lines).toContain('specgate_rate_limit_rejections_total{policy="createTask"} 1');
    expect(lines).toContain('specgate_http_requests_total{operation="createTask",status="429",error_type="rate_limited"} 1');
  });

  it('answers Prometheus text with its content type, and nothing but /metrics on that port', async () => {
    const answer = await fetch(scrape.url);
    expect([answer.status, answer.headers.get('content-type')]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
    expect((await fetch(scrape.url.replace('/metrics', '/health'))).status).toBe(404);
    const post = await fetch(scrape.url, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('is not an API route: GET /metrics on the API port is the uniform 404', async () => {
    const answer = await api.request('/metrics');
    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({ status_code: 404, error_type: 'not_found' });
  });
});

describe('gateway mode on METRICS_PORT', () => {
  let upstream: TestUpstream;
  let gateway: TestGateway;
  let scrape: { url: string; server: Server };
  beforeAll(async () => {
    const metrics = createMetrics();
    upstream = await startTestUpstream();
    gateway = await startTestGateway(gatewaySpec(upstream.url), { UPSTREAM_URL: upstream.url }, localHandlers, metrics);
    scrape = await listen(metrics);
  });
  afterAll(async () => {
    await closeMetrics(scrape?.server);
    await gateway?.close();
    await upstream?.close();
  });

  it("records the upstream's latency and each failure by kind", async () => {
    const origin = new URL(upstream.url).origin;
    const statuses = [];
    for (const which of ['ok', 'ok', 'wrong-body', 'drop']) statuses.push((await gateway.request(`/cases/${which}`)).status);
    // The wrong body is passed (report, the gateway's default) and counted.
    expect(statuses).toEqual([200, 200, 200, 502]);
    const lines = await series(scrape.url, 'specgate_');
    // Three answers arrived (the wrong body too); the dropped connection was retried once, then failed.
    expect(lines).toContain(`specgate_upstream_response_seconds_count{upstream="${origin}"} 3`);
    expect(lines).toContain(`specgate_upstream_failures_total{upstream="${origin}",kind="contract"} 1`);
    expect(lines).toContain(`specgate_upstream_failures_total{upstream="${origin}",kind="connection"} 1`);
    expect(lines).toContain('specgate_upstream_contract_violations_total{operation="getCase"} 1');
    expect(lines).toContain('specgate_http_requests_total{operation="getCase",status="200"} 3');
    expect(lines).toContain('specgate_http_requests_total{operation="getCase",status="502",error_type="bad_gateway"} 1');
  });
});
