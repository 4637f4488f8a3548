/**
 * Deprecation at run time, through the mock: a deprecated operation (or a deprecated parameter
 * that is sent) is answered with Deprecation, Sunset and Link — on errors too — readable
 * cross-origin, counted per operation, its callers logged once each by hash; past its sunset it
 * answers 410 gone only with SUNSET_ENFORCE=true.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../auth/verifier.js';
import { loadConfig } from '../config/index.js';
import type { OpenApiDocument } from '../contract/spec.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { callerHash } from '../pipeline/deprecation.js';
import { capturingLogger } from '../testing/capture-log.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { mintToken, TEST_JWT_SECRET } from '../testing/tokens.js';
import { createMockApp } from './server.js';

const ok = { description: 'ok', content: { 'application/json': { schema: { type: 'object' }, example: { ok: true } } } };
const document: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Deprecations', version: '1.0.0' },
  components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
  paths: {
    '/old': {
      get: {
        operationId: 'oldThing',
        deprecated: true,
        'x-deprecated-at': '2026-01-15',
        'x-sunset': '2030-01-01T00:00:00Z',
        externalDocs: { url: 'https://example.com/migrate' },
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }],
        responses: { '200': ok },
      },
    },
    '/retired': { get: { operationId: 'retiredThing', deprecated: true, 'x-sunset': '2020-01-01', responses: { '200': ok } } },
    '/undated': { get: { operationId: 'undatedThing', deprecated: true, responses: { '200': ok } } },
    '/fresh': {
      get: {
        operationId: 'freshThing',
        parameters: [
          { name: 'legacy', in: 'query', deprecated: true, 'x-deprecated-at': '2026-02-01', schema: { type: 'string' } },
          { name: 'X-Old', in: 'header', deprecated: true, schema: { type: 'string' } },
        ],
        responses: { '200': ok },
      },
    },
    '/private': { get: { operationId: 'privateThing', deprecated: true, 'x-deprecated-at': '2026-01-15', security: [{ bearerAuth: [] }], responses: { '200': ok, '401': { description: 'no' } } } },
  },
};

interface Running {
  readonly url: string;
  readonly server: Server;
  readonly lines: Record<string, any>[];
  readonly metrics: Metrics;
  readonly startedAt: number;
}

async function start(env: Record<string, string> = {}): Promise<Running> {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'info', ...env });
  const { log, lines } = capturingLogger('info');
  const metrics = createMetrics();
  const startedAt = Math.floor(Date.now() / 1000);
  const app = createMockApp({ config, document, log, verifier: await createTokenVerifier(config.jwt, log), metrics });
  const server = createServer(app.listener).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, lines, metrics, startedAt };
}

const get = (running: Running, path: string, headers: Record<string, string> = {}) => fetch(running.url + path, { headers: { origin: ALLOWED_ORIGIN, ...headers } });
const exposed = (res: Response) => (res.headers.get('access-control-expose-headers') ?? '').split(', ');

let served: Running;
let enforcing: Running;
beforeAll(async () => {
  [served, enforcing] = await Promise.all([start(), start({ SUNSET_ENFORCE: 'true' })]);
});
afterAll(async () => {
  for (const running of [served, enforcing]) {
    running?.server.closeAllConnections();
    running?.server.close();
  }
});

describe('a deprecated operation', () => {
  it('is answered with Deprecation, Sunset and Link, each readable cross-origin', async () => {
    const res = await get(served, '/old');
    expect(res.status).toBe(200);
    expect(res.headers.get('deprecation')).toBe('@1768435200');
    expect(res.headers.get('sunset')).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
    expect(res.headers.get('link')).toBe('<https://example.com/migrate>; rel="deprecation"');
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(exposed(res)).toEqual(expect.arrayContaining(['Deprecation', 'Sunset', 'Link']));
  });

  it('carries the same headers on an error answer', async () => {
    const res = await get(served, '/old?limit=many');
    expect(res.status).toBe(400);
    expect((await res.json()).error_type).toBe('validation_error');
    expect(res.headers.get('deprecation')).toBe('@1768435200');
    expect(res.headers.get('sunset')).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
    expect(exposed(res)).toContain('Deprecation');
  });

  it('without x-deprecated-at, dates its deprecation at the moment the contract was loaded', async () => {
    const res = await get(served, '/undated');
    const seconds = Number(/^@(\d+)$/.exec(res.headers.get('deprecation') ?? '')?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(served.startedAt);
    expect(seconds).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(res.headers.get('sunset')).toBeNull();
    expect(res.headers.get('link')).toBeNull();
  });

  it('is counted per operation', async () => {
    const before = await served.metrics.registry.getSingleMetricAsString('specgate_deprecated_calls_total');
    const count = (text: string) => Number(/specgate_deprecated_calls_total\{operation="retiredThing"\} (\d+)/.exec(text)?.[1] ?? 0);
    await (await get(served, '/retired')).arrayBuffer();
    await (await get(served, '/retired')).arrayBuffer();
    const after = await served.metrics.registry.getSingleMetricAsString('specgate_deprecated_calls_total');
    expect(count(after) - count(before)).toBe(2);
  });

  it('logs each known caller once per operation, by a hash, never the raw identity', async () => {
    const [alice, bob] = await Promise.all([mintToken('alice-42'), mintToken('bob-7')]);
    for (const token of [alice, alice, bob]) expect((await get(served, '/private', { authorization: `Bearer ${token}` })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const logged = served.lines.filter((line) => line.operation === 'privateThing' && String(line.msg).startsWith('deprecated operation'));
    expect(logged.map((line) => line.caller).sort()).toEqual([callerHash('alice-42'), callerHash('bob-7')].sort());
    expect(JSON.stringify(served.lines)).not.toContain('alice-42');
  });
});

describe('a sunset operation', () => {
  it('is still served, with its Sunset header, when SUNSET_ENFORCE is off (the default)', async () => {
    const res = await get(served, '/retired');
    expect(res.status).toBe(200);
    expect(res.headers.get('sunset')).toBe('Wed, 01 Jan 2020 00:00:00 GMT');
  });

  it('answers 410 gone in the uniform body with SUNSET_ENFORCE=true, headers included', async () => {
    const res = await get(enforcing, '/retired');
    expect(res.status).toBe(410);
    const body = await res.json();
    expect(body).toEqual({ status_code: 410, error_type: 'gone', detail: 'retiredThing was retired on Wed, 01 Jan 2020 00:00:00 GMT; see the API\'s changelog for its replacement.', request_id: res.headers.get('x-request-id') });
    expect(res.headers.get('sunset')).toBe('Wed, 01 Jan 2020 00:00:00 GMT');
    expect(exposed(res)).toEqual(expect.arrayContaining(['Deprecation', 'Sunset']));
  });

  it('is not gone before its sunset, even with SUNSET_ENFORCE=true', async () => {
    expect((await get(enforcing, '/old')).status).toBe(200);
  });
});

describe('a deprecated parameter', () => {
  it('adds no header when it is not sent', async () => {
    const res = await get(served, '/fresh');
    expect(res.status).toBe(200);
    expect(res.headers.get('deprecation')).toBeNull();
  });

  it('adds Deprecation when it is sent in the query', async () => {
    const res = await get(served, '/fresh?legacy=yes');
    expect(res.status).toBe(200);
    expect(res.headers.get('deprecation')).toBe('@1769904000');
  });

  it('adds Deprecation when it is sent as a header', async () => {
    const res = await get(served, '/fresh', { 'x-old': '1' });
    expect(res.headers.get('deprecation')).toMatch(/^@\d+$/);
  });
});
