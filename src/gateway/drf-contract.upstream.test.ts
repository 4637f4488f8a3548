/**
 * `npm run gateway` in front of a real Django REST framework app (src/testing/django/, Debian's
 * Django and DRF, SQLite) with the schema DRF generates (`manage.py generateschema`) and the
 * overlay of docs/examples/overlays/drf-bearer.overlay.yaml, in the default configuration: every
 * normal answer as DRF sends it (pagination included), every refusal — the gateway's own and DRF's
 * field errors and `{"detail": …}` — in the uniform body with CORS.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { djangoStatus, startDjango, type DjangoApp } from '../testing/django.js';
import { startEntry, type EntryProcess } from '../testing/entry-process.js';
import { expectRefusal } from '../testing/expect-refusal.js';
import { requiredInCi } from '../testing/required-in-ci.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { mintToken, TEST_JWT_SECRET } from '../testing/tokens.js';

const django = djangoStatus();
requiredInCi(django, 'the DRF suite in CI', 'Django, DRF and PyJWT');

const OVERLAY = new URL('../../docs/examples/overlays/drf-bearer.overlay.yaml', import.meta.url).pathname;
const JSON_TYPE = { 'content-type': 'application/json' };

describe.skipIf(!django.available)('the gateway in front of Django REST framework, its contract from generateschema', () => {
  let app: DjangoApp;
  let gateway: EntryProcess;
  let token: string;
  const request = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(gateway.url + path, { ...init, headers: { origin: ALLOWED_ORIGIN, ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers } });

  beforeAll(async () => {
    app = await startDjango({ JWT_SECRET: TEST_JWT_SECRET });
    gateway = await startEntry('src/gateway/cli.ts', [app.schemaFile, '--overlay', OVERLAY, '--upstream', app.url], { CORS_ORIGINS: ALLOWED_ORIGIN });
    token = await mintToken('user-42');
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await app?.close();
  });

  it("generates the schema with DRF's ModelViewSet operations, and no security until the overlay", () => {
    const schema = JSON.parse(readFileSync(app.schemaFile, 'utf8'));
    expect(Object.keys(schema.paths)).toEqual(['/products/', '/products/{id}/']);
    expect(schema.paths['/products/'].post.operationId).toBe('createProduct');
    expect(schema.components.securitySchemes).toBeUndefined();
  });

  it('creates with the verified caller and answers the pages as DRF does', async () => {
    for (const name of ['Kettle', 'Lamp', 'Desk']) {
      const created = await request('/products/', { method: 'POST', token, body: JSON.stringify({ name, price: '25.50', status: 'active' }), headers: JSON_TYPE });
      expect(created.status).toBe(201);
      expect(created.headers.get('x-specgate-contract-violation')).toBeNull();
      expect(await created.json()).toMatchObject({ name, price: '25.50', status: 'active', description: null, owner: 'user-42' });
    }
    const page = await request('/products/?page=2');
    expect(page.status).toBe(200);
    expect(page.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const body = await page.json();
    expect(body).toEqual(await (await fetch(`${app.url}/products/?page=2`)).json());
    expect(body).toMatchObject({ count: 3, results: [{ name: 'Desk' }] });
  });

  it('refuses a write without a token (401) and a body without a required field (400) itself', async () => {
    await expectRefusal(await request('/products/', { method: 'POST', body: '{"name":"x","price":"1.00"}', headers: JSON_TYPE }), 401, 'authentication_error');
    const missing = await expectRefusal(await request('/products/', { method: 'POST', token, body: '{"name":"x"}', headers: JSON_TYPE }), 400, 'validation_error');
    expect(missing.errors).toEqual([{ location: 'body', path: '/price', message: "must have required property 'price'" }]);
    await expectRefusal(await request('/products/?page=first'), 400, 'validation_error');
  });

  it("turns DRF's field errors and its {detail} into the uniform body", async () => {
    const reserved = await expectRefusal(await request('/products/', { method: 'POST', token, body: '{"name":"admin","price":"1.00"}', headers: JSON_TYPE }), 400, 'validation_error');
    expect(reserved.errors).toEqual([{ location: 'body', path: '/name', message: 'This name is reserved.' }]);
    expect((await expectRefusal(await request('/products/999/'), 404, 'not_found')).detail).toBe('Not found.');
  });

  it('publishes the effective contract with the overlay\'s security and its own 400, 401 and 502', async () => {
    const published = await (await request('/openapi.json')).json();
    expect(published.info.title).toBe('Catalogue (Django REST framework)');
    expect(published.paths['/products/{id}/'].delete.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(published.paths['/products/'].post.responses).sort()).toEqual(['201', '400', '401', '413', '415', '431', '500', '502', '503', '504']);
    expect(Object.keys(published.paths['/products/{id}/'].get.responses).sort()).toEqual(['200', '400', '431', '500', '502', '503', '504']);
  });
});
