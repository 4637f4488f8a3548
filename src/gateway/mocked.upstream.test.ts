/**
 * Mock-before-backend: an operation marked x-specgate-mock is answered by the mock inside the
 * gateway — with the gateway's CORS, authentication and validation — and never reaches the upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { gatewaySpec, localHandlers } from '../testing/gateway-spec.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';
import { startTestUpstream, type TestUpstream } from '../testing/upstream.js';

let upstream: TestUpstream;
let gateway: TestGateway;
let token: string;

beforeAll(async () => {
  upstream = await startTestUpstream();
  const document = gatewaySpec(upstream.url);
  const getItem = document.paths['/items/{id}'].get;
  getItem['x-specgate-mock'] = true;
  getItem.responses['200'] = { ...getItem.responses['200'], content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' }, example: { id: 'mocked-7', name: 'Answered before the backend has it' } } } };
  gateway = await startTestGateway(document, { UPSTREAM_URL: upstream.url }, localHandlers);
  token = await mintToken('user-42');
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

describe('an operation marked x-specgate-mock in gateway mode', () => {
  it('is answered by the mock with its example and the gateway CORS, the upstream never called', async () => {
    const before = upstream.received.length;
    const res = await gateway.request('/items/7', { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(JSON.stringify({ id: 'mocked-7', name: 'Answered before the backend has it' }))));
    expect(await res.json()).toEqual({ id: 'mocked-7', name: 'Answered before the backend has it' });
    expect(upstream.received.length).toBe(before);
  });

  it('still requires the operation security and validates the request, in the uniform body', async () => {
    const anonymous = await gateway.request('/items/7');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ status_code: 401, error_type: 'authentication_error' });
    const invalid = await gateway.request('/items/7?expand=lots', { token });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ status_code: 400, error_type: 'validation_error', errors: [{ location: 'query', path: 'expand' }] });
  });

  it('leaves the other operations going upstream', async () => {
    const before = upstream.received.length;
    await gateway.request('/items', { token, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'real' }) });
    expect(upstream.received.length).toBe(before + 1);
  });
});

describe('npm run gateway -- --mock-missing', () => {
  it('answers from the mock what the upstream answers 404, and passes every other answer through', async () => {
    const { documentFile, startEntry } = await import('../testing/entry-process.js');
    const document = gatewaySpec(upstream.url);
    document.paths['/cases/{case}'].get.responses['200'].content['application/json'].example = { id: 'from-the-mock', name: 'The backend has no such route yet' };
    const cli = await startEntry('src/gateway/cli.ts', [documentFile(document), '--mock-missing'], { UPSTREAM_URL: upstream.url, CORS_ORIGINS: ALLOWED_ORIGIN });
    try {
      const missing = await fetch(`${cli.url}/cases/not-built-yet`, { headers: { origin: ALLOWED_ORIGIN } });
      expect(missing.status).toBe(200);
      expect(missing.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(await missing.json()).toEqual({ id: 'from-the-mock', name: 'The backend has no such route yet' });
      const real = await fetch(`${cli.url}/cases/ok`, { headers: { origin: ALLOWED_ORIGIN } });
      expect(await real.json()).toEqual({ id: 'ok', name: 'fine' });
    } finally {
      await cli.stop();
    }
  }, 90_000);
});
