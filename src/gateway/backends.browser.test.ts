/**
 * A page on another origin calls a real FastAPI app and a real Django REST framework app through
 * the gateway, each with the contract its framework generated (FastAPI's /openapi.json; DRF's
 * generateschema and the bearer overlay), in the default configuration: the page reads a success
 * as the backend sent it and a refusal in the uniform body, with X-Request-ID.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredInCi } from '../testing/required-in-ci.js';
import { loadDocument } from '../contract/load-document.js';
import { chromiumStatus, launchChromium, loopbackPage, pageFetch, servePage, type PageOrigin } from '../testing/browser.js';
import { djangoStatus, startDjango, type DjangoApp } from '../testing/django.js';
import { fastapiStatus, startFastApi, type FastApiApp } from '../testing/fastapi.js';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { mintToken, TEST_JWT_SECRET } from '../testing/tokens.js';

const chromium = chromiumStatus();
requiredInCi(chromium, 'the backends browser suite in CI', 'Chromium');
const python = fastapiStatus().available && djangoStatus().available;
if (chromium.available && !python) process.stderr.write('FastAPI or Django REST framework is missing: the browser test of both behind the gateway is skipped (see src/testing/fastapi.ts and src/testing/django.ts).\n');
const DRF_OVERLAY = new URL('../../docs/examples/overlays/drf-bearer.overlay.yaml', import.meta.url).pathname;

describe.skipIf(!chromium.available || !python)('FastAPI and DRF behind the gateway, in Chromium', () => {
  let browser: Browser;
  let front: PageOrigin;
  let fastapi: FastApiApp;
  let drf: DjangoApp;
  let shop: TestGateway;
  let catalogue: TestGateway;
  let page: Page;
  let token: string;
  const call = (gateway: TestGateway, path: string, init: { method?: string; body?: string; token?: boolean } = {}) =>
    pageFetch(page, {
      url: gateway.url + path,
      method: init.method ?? 'GET',
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${token}` } : {}) },
      body: init.body,
      credentials: 'include',
    });

  beforeAll(async () => {
    [browser, front, fastapi, drf] = await Promise.all([launchChromium(), servePage(), startFastApi('shop', { JWT_SECRET: TEST_JWT_SECRET }, ''), startDjango({ JWT_SECRET: TEST_JWT_SECRET })]);
    const env = { CORS_ORIGINS: front.origin };
    const [shopDocument, catalogueDocument] = await Promise.all([loadDocument(`${fastapi.url}/openapi.json`), loadDocument(drf.schemaFile, { overlays: [DRF_OVERLAY] })]);
    [shop, catalogue] = await Promise.all([startTestGateway(shopDocument, { ...env, UPSTREAM_URL: fastapi.url }), startTestGateway(catalogueDocument, { ...env, UPSTREAM_URL: drf.url })]);
    token = await mintToken('user-42');
    page = await browser.newPage();
    await page.goto(`${front.origin}/`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([shop?.close(), catalogue?.close()]);
    await Promise.all([fastapi?.close(), drf?.close(), front?.close()]);
  });

  it('reads a FastAPI success and a refusal of its validator', async () => {
    const read = await call(shop, '/products/1');
    expect(read).toMatchObject({ ok: true, status: 200, body: { id: 1, name: 'Kettle', description: null, created_at: '2026-01-02T03:04:05' } });
    const refused = await call(shop, '/products', { method: 'POST', token: true, body: '{"name":"admin","price":1}' });
    expect(refused).toMatchObject({ ok: true, status: 422, body: { error_type: 'validation_error', errors: [{ location: 'body', path: '/name', message: 'this name is reserved' }] } });
    if (refused.ok) expect(refused.body.request_id).toBe(refused.headers['x-request-id']);
  });

  it('reads a DRF success and a refusal without a token', async () => {
    const created = await call(catalogue, '/products/', { method: 'POST', token: true, body: '{"name":"Lamp","price":"30.00"}' });
    expect(created).toMatchObject({ ok: true, status: 201, body: { name: 'Lamp', price: '30.00', owner: 'user-42' } });
    const refused = await call(catalogue, '/products/', { method: 'POST', body: '{"name":"Lamp","price":"30.00"}' });
    expect(refused).toMatchObject({ ok: true, status: 401, body: { error_type: 'authentication_error', status_code: 401 } });
  });

  it("renders the gateway's /docs page: Redoc over the effective contract, nothing loaded from elsewhere", async () => {
    const { page: docs, blocked } = await loopbackPage(browser);
    const errors: string[] = [];
    docs.on('pageerror', (e) => errors.push(e.message));
    await docs.goto(`${shop.url}/docs`);
    await docs.getByRole('heading', { name: /Shop \(FastAPI\)/ }).first().waitFor({ timeout: 30_000 });
    expect(await docs.getByText('Switching to WebSocket').count()).toBe(0);
    expect(await docs.getByText('HTTPValidationError').count()).toBe(0);
    // Redoc's "API docs by" logo is the one thing it asks elsewhere for (as on the Tasks API's page); it hides itself offline.
    expect(blocked.filter((url) => !url.endsWith('/logo-mini-full.svg'))).toEqual([]);
    expect(errors).toEqual([]);
    await docs.close();
  }, 60_000);
});
