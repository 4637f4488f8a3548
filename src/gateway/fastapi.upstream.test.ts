/**
 * `npm run gateway` in front of a real FastAPI app under uvicorn (the seeds' stack): the happy
 * path with the verified caller, FastAPI's 422, and an unhandled exception's 500 — each in the
 * uniform body with CORS, a client-sent X-User-Id never reaching FastAPI, and Starlette's
 * slash redirect rewritten from uvicorn's address to the gateway's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFastApi, fastapiStatus, type FastApiApp } from '../testing/fastapi.js';
import { startGatewayCli, type GatewayProcess } from '../testing/gateway-cli.js';
import { gatewaySpec } from '../testing/gateway-spec.js';
import { expectRefusal } from '../testing/expect-refusal.js';
import { requiredInCi } from '../testing/required-in-ci.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { mintToken, TEST_JWT_SECRET } from '../testing/tokens.js';

const fastapi = fastapiStatus();
requiredInCi(fastapi, 'the FastAPI suite in CI', 'FastAPI and uvicorn');

describe.skipIf(!fastapi.available)('the gateway in front of FastAPI', () => {
  let app: FastApiApp;
  let gateway: GatewayProcess;
  let token: string;
  const request = (path: string, init: RequestInit = {}) => fetch(gateway.url + path, { ...init, headers: { origin: ALLOWED_ORIGIN, authorization: `Bearer ${token}`, ...init.headers } });

  beforeAll(async () => {
    app = await startFastApi();
    const document = gatewaySpec(app.url);
    // Starlette answers /folders with a 307 to /folders/ on the origin it was sent (its own).
    document.paths['/folders'] = { get: { operationId: 'listFolders', responses: { '307': { description: 'Moved to /folders/' } } } };
    gateway = await startGatewayCli(document, ['--upstream', app.url], { JWT_SECRET: TEST_JWT_SECRET, CORS_ORIGINS: ALLOWED_ORIGIN });
    token = await mintToken('user-42');
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
    await app?.close();
  });

  it('serves the happy path with the verified caller, whatever X-User-Id the client sent', async () => {
    const res = await request('/items/9', { headers: { 'x-user-id': 'admin' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await res.json()).toEqual({ id: '9', name: 'seen by FastAPI as user-42' });
  });

  it("turns FastAPI's 422 into validation_error with errors", async () => {
    const res = await request('/items', { method: 'POST', body: '{"name":"no price"}', headers: { 'content-type': 'application/json' } });
    const body = await expectRefusal(res, 422, 'validation_error');
    expect(body.errors).toEqual([{ location: 'body', path: '/price', message: 'field required' }]);
  });

  it("turns an unhandled exception's 500 into internal_error, nothing of it shown", async () => {
    const res = await request('/cases/crash');
    const body = await expectRefusal(res, 500, 'internal_error');
    expect(body.detail).toBe('The upstream service failed. Quote the request id when reporting it.');
    expect(JSON.stringify(body)).not.toMatch(/KeyError|DATABASE_PASSWORD|Internal Server Error/);
  });

  it("rewrites Starlette's slash redirect from its own origin to the gateway's, and drops X_User_Id", async () => {
    const res = await request('/folders', { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(`${gateway.url}/folders/`);
    const spoofed = await request('/items/9', { headers: { X_User_Id: 'admin' } });
    expect(await spoofed.json()).toEqual({ id: '9', name: 'seen by FastAPI as user-42' });
  });

  it('forwards operations without x-specgate-upstream to --upstream', async () => {
    const res = await request('/cases/ok');
    expect(await res.json()).toEqual({ id: 'ok', name: 'fine' });
  });

  it('gives every client its own answer with UPSTREAM_PIPELINING=8 (uvicorn answers pipelined GETs in order)', async () => {
    const pipelined = await startGatewayCli(gatewaySpec(app.url), ['--upstream', app.url], { JWT_SECRET: TEST_JWT_SECRET, CORS_ORIGINS: ALLOWED_ORIGIN, UPSTREAM_PIPELINING: '8' });
    try {
      const answers = await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          const res = await fetch(`${pipelined.url}/items/${i}`, { headers: { origin: ALLOWED_ORIGIN, authorization: `Bearer ${token}` } });
          return { status: res.status, body: await res.json() };
        }),
      );
      expect(answers).toEqual(Array.from({ length: 24 }, (_, i) => ({ status: 200, body: { id: String(i), name: 'seen by FastAPI as user-42' } })));
    } finally {
      await pipelined.close();
    }
  });
});
