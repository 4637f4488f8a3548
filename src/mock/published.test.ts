import { afterAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../contract/spec.js';
import { redisStore } from '../limits/redis-store.js';
import { createLogger } from '../logger.js';
import { declaredAnswerProblems } from '../testing/declared-answer.js';
import { startMock, type TestMock } from '../testing/mock-server.js';
import { refusedPort } from '../testing/outage.js';
import { uniquePrefix } from '../testing/redis.js';

const mocks: TestMock[] = [];
afterAll(() => Promise.all(mocks.map((m) => m.close())));

const ok = { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'integer' } } } } } };
const shop: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'shop', version: '1' },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  paths: {
    '/orders': { get: { operationId: 'listOrders', security: [{ bearer: [] }], responses: { '200': ok } } },
    '/ping': { get: { operationId: 'ping', security: [], responses: { '200': ok } } },
  },
};

describe("the mock's GET /openapi.json", () => {
  it('publishes the effective document: the Error on what the mock itself answers, Prefer, X-Request-ID', async () => {
    const mock = await startMock(shop);
    mocks.push(mock);
    const res = await mock.request('/openapi.json');
    expect(res.status).toBe(200);
    const published = await res.json();
    const orders = published.paths['/orders'].get;
    expect(orders.responses['401']).toEqual({ $ref: '#/components/responses/SpecgateError401' });
    expect(published.components.responses.SpecgateError401.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(published.components.schemas.Error.properties.error_type).toEqual({ $ref: '#/components/schemas/ErrorType' });
    // Every operation takes Prefer, so the mock may refuse one with 400.
    expect(orders.parameters).toEqual([{ $ref: '#/components/parameters/SpecgateMockPrefer' }]);
    expect(published.components.parameters.SpecgateMockPrefer).toMatchObject({ name: 'Prefer', in: 'header', required: false });
    // No example: a generator sending it (the contract runner does) would put every request in a scenario.
    expect(published.components.parameters.SpecgateMockPrefer).not.toHaveProperty('example');
    // Nothing the mock answers depends on anything that can be down: no 503.
    expect(Object.keys(published.paths['/ping'].get.responses).sort()).toEqual(['200', '400', '431', '500']);
    expect(Object.keys(published.paths['/openapi.json'].get.responses).sort()).toEqual(['200', '400', '431', '500']);
    expect(orders.responses['200'].headers).toEqual({ 'X-Request-ID': { $ref: '#/components/headers/SpecgateXRequestID' } });
    // The document it was given is unchanged.
    expect(shop.paths['/orders'].get.responses).toEqual({ '200': ok });
  });

  it('declares 503 on a rate-limited operation when limits fail closed over Redis, and answers it as declared while Redis is down', async () => {
    // A real Redis client on a port where nothing listens: the store is down from the start.
    const store = await redisStore(`redis://${new URL((await refusedPort()).url).host}`, uniquePrefix('mock-503'), createLogger('silent'));
    try {
      const limited = { ...shop, paths: { ...shop.paths, '/ping': { get: { ...shop.paths['/ping'].get, 'x-specgate-rate-limit': { requests: 10, per: 60, by: 'ip' }, responses: { '200': ok, '429': { description: 'slow down' } } } } } };
      const closed = await startMock(limited, { env: { RATE_LIMIT_FAILURE: 'closed' }, rateLimitStore: store });
      const open = await startMock(limited, { env: { RATE_LIMIT_FAILURE: 'open' }, rateLimitStore: store });
      mocks.push(closed, open);
      const published = await (await closed.request('/openapi.json')).json();
      expect(Object.keys(published.paths['/ping'].get.responses).sort()).toEqual(['200', '400', '429', '431', '500', '503']);
      expect(published.paths['/orders'].get.responses['503']).toBeUndefined();
      const res = await closed.request('/ping');
      const body = await res.text();
      expect([res.status, res.headers.get('retry-after'), JSON.parse(body).error_type]).toEqual([503, '2', 'service_unavailable']);
      expect(declaredAnswerProblems(published, 'ping', res, body)).toEqual([]);
      // Failing open, the same outage is no answer of its own.
      expect(Object.keys((await (await open.request('/openapi.json')).json()).paths['/ping'].get.responses)).not.toContain('503');
      expect((await open.request('/ping')).status).toBe(200);
    } finally {
      await store.close();
    }
  });

  it("answers a document's own /openapi.json operation from that document, as any other", async () => {
    const own = { ...shop, paths: { ...shop.paths, '/openapi.json': { get: { operationId: 'spec', security: [], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' }, example: { mine: true } } } } } } } } };
    const mock = await startMock(own);
    mocks.push(mock);
    expect(await (await mock.request('/openapi.json')).json()).toEqual({ mine: true });
  });
});
