import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../contract/spec.js';
import { ALLOWED_ORIGIN, startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';

const contract = loadContract();
let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await mintToken('user-health');
});
afterAll(() => server.close());

describe('liveness and readiness', () => {
  it('GET /livez: 200 with the version, public, with CORS', async () => {
    const res = await server.request('/livez');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await res.json()).toEqual({ status: 'ok', version: contract.version });
  });

  it('GET /health: 200 ok with the database up, and the pool on a PostgreSQL server', async () => {
    const res = await server.request('/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      status: 'ok',
      database: 'up',
      version: contract.version,
      ...(server.db.driver === 'pglite' ? {} : { pool: { max: 10, in_use: expect.any(Number), idle: expect.any(Number), waiting: 0 } }),
    });
  });
});

describe('HEAD wherever GET is declared (RFC 9110)', () => {
  const gets = contract.operations.filter((op) => op.method === 'get');
  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');

  it.each(gets.map((op) => [op.operationId, concrete(op.path)]))('HEAD %s (%s): the GET status and headers, no body', async (_id, path) => {
    const [get, head] = await Promise.all([server.request(path, { token }), server.request(path, { token, method: 'HEAD' })]);
    expect(head.status).toBe(get.status);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await head.text()).toBe('');
    await get.arrayBuffer();
  });

  it('HEAD /health is 200, not 405', async () => {
    const res = await server.request('/health', { method: 'HEAD' });
    expect(res.status).toBe(200);
  });
});
