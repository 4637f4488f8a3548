/**
 * `npm run gateway -- <FastAPI's /openapi.json>` in front of a real FastAPI app (src/testing/fastapi/shop.py,
 * Debian's FastAPI 0.92 and Pydantic 1.10), in the default configuration: every normal answer as
 * FastAPI sends it — although Pydantic 1 declares nullable fields without `nullable` and
 * datetime.utcnow() has no offset (reported, not refused) — every refusal in the uniform body with
 * CORS and the status the published contract declares, and a client generated from the gateway's
 * effective contract that reads a 422's `detail` as the string it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parse } from 'yaml';
import { startEntry, type EntryProcess } from '../testing/entry-process.js';
import { fastapiStatus, startFastApi, type FastApiApp } from '../testing/fastapi.js';
import { expectRefusal } from '../testing/expect-refusal.js';
import { requiredInCi } from '../testing/required-in-ci.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { mintToken, TEST_JWT_SECRET } from '../testing/tokens.js';
import { generateClient, typecheck } from '../testing/typed-client.js';

const fastapi = fastapiStatus();
requiredInCi(fastapi, 'the FastAPI contract suite in CI', 'FastAPI, uvicorn and PyJWT');

/** The overlay docs/gateway.md gives: FastAPI leaves WebSocket routes out of its document. */
const WEBSOCKET_OVERLAY = new URL('../../docs/examples/overlays/fastapi-websocket.overlay.yaml', import.meta.url).pathname;

/** What a frontend writes against the generated client: a 422's detail is a sentence. */
const USAGE = `import { createApiClient } from './client.js';

const api = createApiClient('http://127.0.0.1:1');

export async function addLamp(): Promise<string> {
  const { data, error } = await api.POST('/products', { body: { name: 'Lamp', price: 30 } });
  if (error) {
    const detail: string = error.detail;
    // @ts-expect-error the gateway's detail is a string, never FastAPI's list
    error.detail.map((issue: unknown) => issue);
    return \`\${error.error_type}: \${detail}\`;
  }
  return data.name;
}
`;

describe.skipIf(!fastapi.available)('the gateway in front of FastAPI, its contract from FastAPI', () => {
  let app: FastApiApp;
  let gateway: EntryProcess;
  let origin: string;
  let token: string;
  const request = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(gateway.url + path, { redirect: 'manual', ...init, headers: { origin: ALLOWED_ORIGIN, ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers } });
  const direct = async (path: string) => (await fetch(origin + path)).json();

  beforeAll(async () => {
    app = await startFastApi('shop', { JWT_SECRET: TEST_JWT_SECRET }, '');
    origin = app.url;
    gateway = await startEntry('src/gateway/cli.ts', [`${origin}/openapi.json`, '--overlay', WEBSOCKET_OVERLAY, '--upstream', origin], { CORS_ORIGINS: ALLOWED_ORIGIN });
    token = await mintToken('user-42');
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await app?.close();
  });

  it("answers a list with FastAPI's status and body, naming the null it does not declare in a header", async () => {
    const res = await request('/products?status=active&limit=5');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await res.json()).toEqual(await direct('/products?status=active&limit=5'));
    expect(res.headers.get('x-specgate-contract-violation')).toMatch(/^list_products_products_get 200 the body of 200 breaks the schema \(\/0\/description must be string/);
  });

  it('answers a read and a create (naive datetime, the verified caller) as FastAPI does', async () => {
    const read = await request('/products/1');
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(await direct('/products/1'));
    const created = await request('/products', { method: 'POST', token, body: JSON.stringify({ name: 'Lamp', price: 30, dimensions: { width_cm: 20, height_cm: 45 } }), headers: { 'content-type': 'application/json' } });
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body).toMatchObject({ name: 'Lamp', price: 30, status: 'draft', description: null, dimensions: { width_cm: 20, height_cm: 45 }, owner: 'user-42' });
    expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/);
    expect(await direct(`/products/${body.id}`)).toEqual(body);
  });

  it('refuses a write without a token (401) and a body against the schema (the declared 422) itself', async () => {
    await expectRefusal(await request('/products', { method: 'POST', body: '{"name":"x","price":1}', headers: { 'content-type': 'application/json' } }), 401, 'authentication_error');
    const invalid = await expectRefusal(await request('/products', { method: 'POST', token, body: '{"name":"x","price":"cheap"}', headers: { 'content-type': 'application/json' } }), 422, 'validation_error');
    expect(invalid.errors).toEqual([{ location: 'body', path: '/price', message: 'must be number' }]);
    await expectRefusal(await request('/products?limit=500'), 422, 'validation_error');
  });

  it("turns FastAPI's own refusals into the uniform body: a validator outside the schema, a 404, an unhandled exception", async () => {
    const reserved = await expectRefusal(await request('/products', { method: 'POST', token, body: '{"name":"admin","price":1}', headers: { 'content-type': 'application/json' } }), 422, 'validation_error');
    expect(reserved.detail).toBe('The request does not match what the service accepts.');
    expect(reserved.errors).toEqual([{ location: 'body', path: '/name', message: 'this name is reserved' }]);
    expect((await expectRefusal(await request('/products/999'), 404, 'not_found')).detail).toBe('Product not found');
    const crash = await expectRefusal(await request('/reports/unknown'), 500, 'internal_error');
    expect(JSON.stringify(crash)).not.toMatch(/KeyError|Traceback/);
  });

  it('passes a public route without a token and refuses its protected pair', async () => {
    expect((await request('/products/1')).status).toBe(200);
    await expectRefusal(await request('/me'), 401, 'authentication_error');
    const me = await request('/me', { token });
    expect(await me.json()).toEqual({ sub: 'user-42' });
  });

  it("passes FastAPI's url_for redirect, which names the gateway (X-Forwarded-Host)", async () => {
    const res = await request('/newest');
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${gateway.url}/products/\\d+$`));
    expect(res.headers.get('x-specgate-contract-violation')).toBe('newest_product_newest_get 307 status 307 is not declared');
  });

  it('tunnels the WebSocket route the overlay declares to FastAPI', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`${gateway.url.replace('http', 'ws')}/ws`, { headers: { origin: ALLOWED_ORIGIN } });
      ws.once('open', () => ws.send('hello'));
      ws.once('message', (data) => {
        resolve(String(data));
        ws.close();
      });
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
      ws.once('error', reject);
    });
    expect(reply).toBe('hello');
  });

  it('publishes the effective contract: the Error instead of HTTPValidationError, its own statuses, the overlay, in JSON, YAML and Redoc', async () => {
    const res = await request('/openapi.json');
    expect(res.status).toBe(200);
    const published = await res.json();
    const create = published.paths['/products'].post.responses;
    expect(Object.keys(create).sort()).toEqual(['201', '401', '413', '415', '422', '431', '500', '502', '503', '504']);
    const resolve = (response: any) => (response.$ref ? published.components.responses[response.$ref.split('/').pop()] : response);
    expect(resolve(create['422']).content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(JSON.stringify(published.paths)).not.toContain('HTTPValidationError');
    expect(published.paths['/ws'].get.operationId).toBe('echo');
    expect(published.paths['/openapi.json'].get.operationId).toBe('specgateOpenApiJson');
    expect(parse(await (await request('/openapi.yaml')).text())).toEqual(published);
    const docs = await request('/docs');
    expect(docs.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await docs.text()).toContain('"title":"Shop (FastAPI)"');
  });

  it('generates a client from the gateway whose 422 detail type-checks as a string, and one from FastAPI whose does not', async () => {
    const [effective, backend] = await Promise.all([generateClient(`${gateway.url}/openapi.json`), generateClient(`${origin}/openapi.json`)]);
    const [fromGateway, fromFastApi] = await Promise.all([typecheck(effective, { 'usage.ts': USAGE }), typecheck(backend, { 'usage.ts': USAGE })]);
    expect(fromGateway).toEqual({ ok: true, output: '' });
    expect(fromFastApi.ok).toBe(false);
    // FastAPI's own contract declares its 422 detail a list (HTTPValidationError), which the gateway never sends.
    expect(fromFastApi.output).toContain("usage.ts(8,11): error TS2322: Type '{ loc: (string | number)[]; msg: string; type: string; }[] | undefined' is not assignable to type 'string'.");
  }, 120_000);
});
