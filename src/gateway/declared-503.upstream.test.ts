/**
 * The gateway's published contract declares 503 exactly where the gateway can answer it: on the
 * operations it forwards (an open circuit, an idempotency-key store that is down), on rate-limited
 * operations when RATE_LIMIT_FAILURE=closed over Redis, and on /readyz and /health with their own
 * degraded body; never on /livez, the published document, an in-process handler or the mock. With
 * the upstream's circuit open, every operation is called and answers 503 if and only if it declares
 * it, in the body and headers declared for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../contract/spec.js';
import { redisStore } from '../limits/redis-store.js';
import type { RateLimitStore } from '../limits/store.js';
import { createLogger } from '../logger.js';
import { declaredAnswerProblems } from '../testing/declared-answer.js';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { gatewaySpec, localHandlers } from '../testing/gateway-spec.js';
import { refusedPort } from '../testing/outage.js';
import { uniquePrefix } from '../testing/redis.js';
import { mintToken } from '../testing/tokens.js';

const json = { 'content-type': 'application/json' };
const item = { description: 'An item', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } };

/** The gateway fixture with an operation the mock answers (x-specgate-mock). */
function spec(upstream: string): OpenApiDocument {
  const document = gatewaySpec(upstream);
  return { ...document, paths: { ...document.paths, '/mocked': { get: { operationId: 'getMocked', 'x-specgate-mock': true, responses: { '200': item } } } } };
}

/** One request per operation of the published document, as a client sends it. */
const REQUESTS: Readonly<Record<string, { path: string; method?: string; auth?: boolean; body?: unknown }>> = {
  createItem: { path: '/items', method: 'POST', auth: true, body: { name: 'while the upstream is down' } },
  getItem: { path: '/items/1', auth: true },
  getCase: { path: '/cases/ok' },
  getLocated: { path: '/located' },
  getLocal: { path: '/local' },
  openSocket: { path: '/ws', auth: true },
  getMocked: { path: '/mocked' },
  specgateLiveness: { path: '/livez' },
  specgateReadiness: { path: '/readyz' },
  specgateHealth: { path: '/health' },
  specgateOpenApiJson: { path: '/openapi.json' },
  specgateOpenApiYaml: { path: '/openapi.yaml' },
  specgateDocs: { path: '/docs' },
};

const FORWARDED = ['createItem', 'getItem', 'getCase', 'getLocated', 'openSocket'];
const ANSWERED_HERE = ['getLocal', 'getMocked', 'specgateLiveness', 'specgateOpenApiJson', 'specgateOpenApiYaml', 'specgateDocs'];

type Operation = { path: string; method: string; operationId: string; responses: Record<string, any> };
const operationsOf = (published: OpenApiDocument): Operation[] =>
  Object.entries<Record<string, any>>(published.paths).flatMap(([path, item]) =>
    Object.entries<Record<string, any>>(item)
      .filter(([, operation]) => typeof operation?.operationId === 'string')
      .map(([method, operation]) => ({ path, method, operationId: operation.operationId as string, responses: operation.responses })),
  );
const byId = (published: OpenApiDocument, operationId: string) => operationsOf(published).find((op) => op.operationId === operationId)!;
const resolved = (published: OpenApiDocument, response: any) => (response?.$ref ? published.components.responses[response.$ref.split('/').pop()] : response);

describe('a gateway whose upstream is down, its circuit open', () => {
  let gateway: TestGateway;
  let published: OpenApiDocument;
  let token: string;

  beforeAll(async () => {
    const down = `http://${new URL((await refusedPort()).url).host}`;
    // One failure opens the circuit, and it stays open for the whole test.
    gateway = await startTestGateway(spec(down), { UPSTREAM_URL: down, UPSTREAM_BREAKER_FAILURES: '1', UPSTREAM_BREAKER_COOLDOWN: '600' }, localHandlers);
    token = await mintToken('user-503');
    published = await (await gateway.request('/openapi.json')).json();
    expect((await gateway.request('/cases/ok')).status).toBe(502);
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('publishes 502, 503 and 504 on the forwarded operations only, and no 503 on /livez, the published document, a handler or the mock', () => {
    for (const id of FORWARDED) {
      const { responses } = byId(published, id);
      expect(Object.keys(responses), id).toEqual(expect.arrayContaining(['502', '503', '504']));
      const unavailable = resolved(published, responses['503']);
      expect(unavailable.content['application/json'].schema, id).toEqual({ $ref: '#/components/schemas/SpecgateError' });
      expect(Object.keys(unavailable.headers), id).toEqual(['X-Request-ID', 'Retry-After']);
    }
    for (const id of ANSWERED_HERE) expect(Object.keys(byId(published, id).responses).filter((s) => /^50[234]$/.test(s)), id).toEqual([]);
    for (const id of ['specgateReadiness', 'specgateHealth']) {
      const { responses } = byId(published, id);
      expect(Object.keys(responses).sort(), id).toEqual(['200', '431', '500', '503']);
      // Its own degraded body (the Error's fields and `upstreams`), as the probe writes it: not the bare Error.
      expect(responses['503'].content['application/json'].schema.required, id).toEqual(['detail', 'status_code', 'error_type', 'request_id', 'upstreams']);
    }
  });

  it('answers 503 on exactly the operations that declare it, each in the body and headers declared for it', async () => {
    const problems: string[] = [];
    const answered: Record<string, number> = {};
    for (const op of operationsOf(published)) {
      const request = REQUESTS[op.operationId];
      if (request === undefined) {
        problems.push(`${op.operationId}: no request in this test; add one`);
        continue;
      }
      const res = await gateway.request(request.path, {
        method: request.method ?? 'GET',
        ...(request.auth ? { token } : {}),
        ...(request.body === undefined ? {} : { headers: json, body: JSON.stringify(request.body) }),
      });
      const body = await res.text();
      answered[op.operationId] = res.status;
      if ((res.status === 503) !== '503' in op.responses) problems.push(`${op.operationId}: answered ${res.status}, ${'503' in op.responses ? 'declares' : 'does not declare'} 503`);
      problems.push(...declaredAnswerProblems(published, op.operationId, res, body));
    }
    expect(problems).toEqual([]);
    expect(answered).toEqual({
      createItem: 503, getItem: 503, getCase: 503, getLocated: 503, openSocket: 503, getMocked: 200, getLocal: 200,
      specgateLiveness: 200, specgateReadiness: 503, specgateHealth: 503, specgateOpenApiJson: 200, specgateOpenApiYaml: 200, specgateDocs: 200,
    });
  });
});

describe('a gateway whose rate-limit store (Redis) is down', () => {
  const gateways: TestGateway[] = [];
  let store: RateLimitStore;

  /** The fixture with the in-process GET /local rate-limited, before a gateway with RATE_LIMIT_FAILURE=`failure`. */
  async function start(failure: 'open' | 'closed'): Promise<{ gateway: TestGateway; published: OpenApiDocument }> {
    const document = spec('http://127.0.0.1:9');
    const local = document.paths['/local'].get;
    const limited = { ...local, 'x-specgate-rate-limit': { requests: 100, per: 60, by: 'ip' }, responses: { ...local.responses, '429': { description: 'Too many requests' } } };
    const gateway = await startTestGateway({ ...document, paths: { ...document.paths, '/local': { get: limited } } }, { UPSTREAM_URL: 'http://127.0.0.1:9', RATE_LIMIT_FAILURE: failure }, localHandlers, undefined, undefined, store);
    gateways.push(gateway);
    return { gateway, published: await (await gateway.request('/openapi.json')).json() };
  }

  beforeAll(async () => {
    // A real Redis client on a port where nothing listens: the store is down from the start.
    store = await redisStore(`redis://${new URL((await refusedPort()).url).host}`, uniquePrefix('declared-503'), createLogger('silent'));
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await store?.close();
  });

  it('with RATE_LIMIT_FAILURE=closed declares 503 on the limited operation it answers itself, and answers it as declared', async () => {
    const { gateway, published } = await start('closed');
    const local = byId(published, 'getLocal').responses;
    expect(Object.keys(local).sort()).toEqual(['200', '429', '431', '500', '503']);
    expect(Object.keys(resolved(published, local['503']).headers)).toEqual(['X-Request-ID', 'Retry-After', 'RateLimit', 'RateLimit-Policy']);
    expect(Object.keys(byId(published, 'specgateLiveness').responses)).not.toContain('503');
    const res = await gateway.request('/local');
    const body = await res.text();
    expect([res.status, res.headers.get('retry-after'), JSON.parse(body)]).toEqual([
      503,
      '2',
      { detail: 'The rate-limit store is unavailable. Try again shortly.', status_code: 503, error_type: 'service_unavailable', request_id: res.headers.get('x-request-id') },
    ]);
    expect(declaredAnswerProblems(published, 'getLocal', res, body)).toEqual([]);
  });

  it('with RATE_LIMIT_FAILURE=open declares no 503 there, and serves it', async () => {
    const { gateway, published } = await start('open');
    expect(Object.keys(byId(published, 'getLocal').responses).sort()).toEqual(['200', '429', '431', '500']);
    expect((await gateway.request('/local')).status).toBe(200);
  });
});
