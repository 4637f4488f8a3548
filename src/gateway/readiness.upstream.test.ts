/**
 * Gateway readiness against a real upstream that goes down and comes back on the same port:
 * /livez, /readyz and /health, active health checks closing the circuit with no client traffic,
 * shed requests counted and logged once per breaker change, and HEAD answered from a GET when the
 * upstream refuses HEAD.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileOperationValidators } from '../contract/operation-validators.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { gatewaySpec, localHandlers } from '../testing/gateway-spec.js';
import { startTestUpstream, type TestUpstream } from '../testing/upstream.js';
import { HEALTH_CHECK_AGENT } from './health-checks.js';
import { bodyViolation } from './response-contract.js';
import { gatewayContract } from './server.js';
import { expectNotReady } from '../testing/expect-refusal.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('readiness of a gateway whose upstream goes down and comes back', () => {
  let upstream: TestUpstream;
  let gateway: TestGateway;
  let metrics: Metrics;
  let origin: string;

  beforeAll(async () => {
    upstream = await startTestUpstream();
    origin = new URL(upstream.url).origin;
    metrics = createMetrics();
    // A cool-down far longer than the test: only an active health check can close the circuit.
    const env = { UPSTREAM_URL: upstream.url, UPSTREAM_BREAKER_FAILURES: '1', UPSTREAM_BREAKER_COOLDOWN: '600', UPSTREAM_HEALTH_INTERVAL_MS: '500', LOG_LEVEL: 'info' };
    gateway = await startTestGateway(gatewaySpec(upstream.url), env, localHandlers, metrics);
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('is ready and live while the upstream answers, and answers HEAD on its probes', async () => {
    expect((await gateway.request('/cases/ok')).status).toBe(200);
    for (const path of ['/readyz', '/health']) {
      const res = await gateway.request(path);
      expect([res.status, res.headers.get('cache-control'), await res.json()]).toEqual([200, 'no-store', { status: 'ok', upstreams: [{ origin, state: 'up' }] }]);
    }
    const live = await gateway.request('/livez');
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    const head = await gateway.request('/readyz', { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, String(JSON.stringify({ status: 'ok', upstreams: [{ origin, state: 'up' }] }).length), '']);
    expect((await gateway.request('/livez', { method: 'HEAD' })).status).toBe(200);
  });

  it('sheds requests once the circuit opens: counted, logged once per change, not once per request', async () => {
    const port = Number(new URL(upstream.url).port);
    await upstream.close();
    expect((await gateway.request('/cases/ok')).status).toBe(502);
    const shed = await Promise.all(Array.from({ length: 20 }, () => gateway.request('/cases/ok')));
    expect(shed.map((res) => res.status)).toEqual(Array(20).fill(503));
    const exported = await metrics.registry.metrics();
    expect(exported).toContain(`specgate_upstream_shed_total{upstream="${origin}"} 20`);
    const opened = gateway.logs.filter((line) => line.msg === 'upstream circuit opened: its requests are answered 503 until a probe succeeds');
    expect(opened).toEqual([expect.objectContaining({ level: 40, upstream: origin, from: 'closed', to: 'open', cause: 'request' })]);
    expect(gateway.logs.filter((line) => line.level === 50 && line.error_type === 'service_unavailable')).toEqual([]);

    const live = await gateway.request('/livez');
    expect(live.status).toBe(200);
    const published = await (await gateway.request('/openapi.json')).json();
    for (const path of ['/readyz', '/health']) {
      await expectNotReady(await gateway.request(path), `Not ready: the circuit of ${origin} is open.`, { upstreams: [{ origin, state: 'open' }] }, '1', published);
    }

    // The upstream comes back on the same port; nothing but the probes is sent to the gateway.
    const started = Date.now();
    upstream = await startTestUpstream(port);
    let ready = 0;
    while (Date.now() - started < 30_000) {
      ready = (await gateway.request('/health')).status;
      if (ready === 200) break;
      await sleep(100);
    }
    const recoveredMs = Date.now() - started;
    process.stdout.write(`readiness recovered ${recoveredMs} ms after the upstream came back\n`);
    expect(ready).toBe(200);
    expect(recoveredMs).toBeLessThan(30_000);
    expect(upstream.received).toEqual([]);
    expect(upstream.healthChecks.map((check) => [check.method, check.url, check.headers['user-agent']])).toContainEqual(['GET', '/', HEALTH_CHECK_AGENT]);
    expect(gateway.logs.filter((line) => line.to === 'closed')).toEqual([expect.objectContaining({ level: 30, upstream: origin, from: 'open', cause: 'health check' })]);
    expect((await gateway.request('/cases/ok')).status).toBe(200);
  }, 60_000);

  it('answers HEAD from a GET when the upstream refuses HEAD: headers kept, the GET body\'s length, no body', async () => {
    const before = upstream.received.length;
    const res = await gateway.request('/cases/no-head', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String('{"id":"no-head","name":"GET only"}'.length));
    expect(res.headers.get('x-upstream')).toBe('no-head');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('');
    expect(upstream.received.slice(before).map((seen) => [seen.method, seen.url])).toEqual([
      ['HEAD', '/backend/cases/no-head'],
      ['GET', '/backend/cases/no-head'],
    ]);
    const get = await gateway.request('/cases/no-head');
    expect([get.status, await get.json()]).toEqual([200, { id: 'no-head', name: 'GET only' }]);
  });

  it('sends HEAD as HEAD to an upstream that answers it', async () => {
    const before = upstream.received.length;
    const res = await gateway.request('/cases/ok', { method: 'HEAD' });
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([200, 'application/json', '']);
    expect(upstream.received.slice(before).map((seen) => seen.method)).toEqual(['HEAD']);
  });
});

describe('the probes in the published contract', () => {
  const contract = gatewayContract(gatewaySpec('http://127.0.0.1:9/backend'));
  const validators = compileOperationValidators(contract, { responses: true });
  const violation = (operationId: string, status: number, body: unknown) => bodyViolation(validators.get(operationId)!, status, Buffer.from(JSON.stringify(body)));

  it('declares GET /livez, /readyz and /health, public, with Retry-After on the 503', () => {
    const ops = contract.operations.filter((op) => ['/livez', '/readyz', '/health'].includes(op.path)).map((op) => [op.path, op.method, op.operationId, op.security]);
    expect(ops).toEqual([
      ['/livez', 'get', 'specgateLiveness', []],
      ['/readyz', 'get', 'specgateReadiness', []],
      ['/health', 'get', 'specgateHealth', []],
    ]);
    expect(contract.document.paths['/readyz'].get.responses['503'].headers['Retry-After'].required).toBe(true);
  });

  it('declares exactly the bodies the gateway sends, and nothing more', () => {
    const upstreams = [{ origin: 'http://127.0.0.1:9', state: 'open' }];
    const degraded = { detail: 'Not ready.', status_code: 503, error_type: 'service_unavailable', request_id: 'r', upstreams, redis: 'down' };
    expect(violation('specgateReadiness', 503, degraded)).toBeUndefined();
    expect(violation('specgateHealth', 200, { status: 'ok', upstreams: [], redis: 'up' })).toBeUndefined();
    expect(violation('specgateLiveness', 200, { status: 'ok' })).toBeUndefined();
    expect(violation('specgateReadiness', 503, { ...degraded, status: 'degraded' })).toBeDefined();
    expect(violation('specgateHealth', 503, { status: 'degraded', upstreams })).toBeDefined();
  });

  it('keeps a document\'s own /health and adds only what it lacks', () => {
    const spec = gatewaySpec('http://127.0.0.1:9/backend');
    const own = gatewayContract({ ...spec, paths: { ...spec.paths, '/health': { get: { operationId: 'mine', responses: { '200': { description: 'ok' } } } } } });
    expect(own.operations.filter((op) => ['/livez', '/readyz', '/health'].includes(op.path)).map((op) => op.operationId)).toEqual(['mine', 'specgateLiveness', 'specgateReadiness']);
  });
});
