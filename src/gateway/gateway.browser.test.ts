/**
 * The gateway as a browser sees it: Chromium on one origin calls the gateway on another, in front
 * of the test upstream and (when installed) a real FastAPI app. Every case — success, upstream
 * errors, timeouts, dropped connections, a contract violation (passed and named, the default),
 * an open circuit, a refused token, a path-confusion attempt and a duplicate JSON key refused at
 * the edge — is readable by the page (status, uniform body, exposed headers); a foreign origin
 * reads nothing.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredInCi } from '../testing/required-in-ci.js';
import { chromiumStatus, launchChromium, pageFetch, servePage, type PageOrigin } from '../testing/browser.js';
import { fastapiStatus, startFastApi, type FastApiApp } from '../testing/fastapi.js';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { gatewaySpec, localHandlers } from '../testing/gateway-spec.js';
import { mintToken } from '../testing/tokens.js';
import { startTestUpstream, type TestUpstream } from '../testing/upstream.js';

const chromium = chromiumStatus();
requiredInCi(chromium, 'the gateway browser suite in CI', 'Chromium');
const fastapi = fastapiStatus();

interface Case {
  readonly name: string;
  readonly gateway: () => TestGateway;
  readonly path: string;
  readonly method?: string;
  readonly body?: string;
  readonly token?: boolean;
  readonly status: number;
  readonly errorType?: string;
  readonly retryAfter?: boolean;
  /** The answer broke the contract and was passed (report, the default): X-Specgate-Contract-Violation is readable. */
  readonly violation?: boolean;
}

describe.skipIf(!chromium.available)('the gateway in Chromium', () => {
  let browser: Browser;
  let front: PageOrigin;
  let foreign: PageOrigin;
  let upstream: TestUpstream;
  let app: FastApiApp | undefined;
  let gateway: TestGateway;
  let down: TestGateway;
  let python: TestGateway | undefined;
  let page: Page;
  let foreignPage: Page;
  let token: string;

  beforeAll(async () => {
    [browser, front, foreign, upstream, app] = await Promise.all([launchChromium(), servePage(), servePage(), startTestUpstream(), fastapi.available ? startFastApi() : undefined]);
    const env = { CORS_ORIGINS: front.origin, UPSTREAM_TIMEOUT_MS: '500' };
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const dead = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    [gateway, down, python] = await Promise.all([
      startTestGateway(gatewaySpec(upstream.url), { ...env, UPSTREAM_URL: upstream.url }, localHandlers),
      startTestGateway(gatewaySpec(dead), { ...env, UPSTREAM_URL: dead, UPSTREAM_BREAKER_FAILURES: '1', UPSTREAM_BREAKER_COOLDOWN: '60' }, localHandlers),
      app ? startTestGateway(gatewaySpec(app.url), { ...env, UPSTREAM_URL: app.url }, localHandlers) : undefined,
    ]);
    token = await mintToken('user-42');
    [page, foreignPage] = await Promise.all([browser.newPage(), browser.newPage()]);
    await Promise.all([page.goto(`${front.origin}/`), foreignPage.goto(`${foreign.origin}/`)]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([gateway?.close(), down?.close(), python?.close()]);
    await Promise.all([upstream?.close(), app?.close(), front?.close(), foreign?.close()]);
  });

  const json = { 'content-type': 'application/json' };
  const cases: Case[] = [
    { name: 'JSON success', gateway: () => gateway, path: '/items/7', token: true, status: 200 },
    { name: 'preflighted POST', gateway: () => gateway, path: '/items', method: 'POST', body: '{"name":"from the page"}', token: true, status: 201 },
    { name: 'FastAPI 422', gateway: () => gateway, path: '/cases/fastapi-422', status: 422, errorType: 'validation_error' },
    { name: "FastAPI's detail", gateway: () => gateway, path: '/cases/detail-404', status: 404, errorType: 'not_found' },
    { name: 'Django HTML 500', gateway: () => gateway, path: '/cases/html-500', status: 500, errorType: 'internal_error' },
    { name: 'slow upstream', gateway: () => gateway, path: '/cases/slow', status: 504, errorType: 'gateway_timeout' },
    { name: 'dropped connection', gateway: () => gateway, path: '/cases/drop', status: 502, errorType: 'bad_gateway' },
    { name: 'wrong body, reported', gateway: () => gateway, path: '/cases/wrong-body', status: 200, violation: true },
    { name: 'no token (never forwarded)', gateway: () => gateway, path: '/items/7', status: 401, errorType: 'authentication_error' },
    { name: 'path confusion (never forwarded)', gateway: () => gateway, path: '/items/..%2F..%2Fadmin%2Fusers', token: true, status: 400, errorType: 'validation_error' },
    { name: 'duplicate JSON key (never forwarded)', gateway: () => gateway, path: '/items', method: 'POST', body: '{"name":"a","name":"b"}', token: true, status: 400, errorType: 'validation_error' },
    { name: 'refused connection', gateway: () => down, path: '/cases/ok', status: 502, errorType: 'bad_gateway' },
    { name: 'open circuit', gateway: () => down, path: '/cases/ok', status: 503, errorType: 'service_unavailable', retryAfter: true },
    ...(fastapi.available
      ? [
          { name: 'FastAPI happy path', gateway: () => python!, path: '/items/3', token: true, status: 200 },
          { name: 'FastAPI real 422', gateway: () => python!, path: '/items', method: 'POST', body: '{"name":"no price"}', token: true, status: 422, errorType: 'validation_error' },
          { name: 'FastAPI unhandled exception', gateway: () => python!, path: '/cases/crash', status: 500, errorType: 'internal_error' },
        ]
      : []),
  ];

  it('lets the page read every case: status, uniform body, X-Request-ID and Retry-After', async () => {
    const problems: Record<string, unknown> = {};
    for (const c of cases) {
      const headers = { ...(c.body ? json : {}), ...(c.token ? { authorization: `Bearer ${token}` } : {}) };
      const r = await pageFetch(page, { url: c.gateway().url + c.path, method: c.method ?? 'GET', headers, body: c.body, credentials: 'include' });
      const wrong: string[] = [];
      if (!r.ok) wrong.push(`fetch() rejected: ${r.error}`);
      else {
        if (r.status !== c.status) wrong.push(`status ${r.status}`);
        if (!r.headers['x-request-id']) wrong.push('X-Request-ID not readable');
        if (c.errorType && (r.body?.error_type !== c.errorType || r.body?.request_id !== r.headers['x-request-id'])) wrong.push(`body ${JSON.stringify(r.body)}`);
        if (c.retryAfter && !/^\d+$/.test(r.headers['retry-after'] ?? '')) wrong.push('Retry-After not readable');
        if (c.violation && !r.headers['x-specgate-contract-violation']?.startsWith('getCase 200 ')) wrong.push('X-Specgate-Contract-Violation not readable');
      }
      if (wrong.length > 0) problems[c.name] = wrong;
    }
    expect(problems).toEqual({});
  });

  it('lets a foreign origin read nothing', async () => {
    const readable: string[] = [];
    for (const c of cases) {
      const headers = { ...(c.body ? json : {}), ...(c.token ? { authorization: `Bearer ${token}` } : {}) };
      const r = await pageFetch(foreignPage, { url: c.gateway().url + c.path, method: c.method ?? 'GET', headers, body: c.body, credentials: 'include' });
      if (r.ok) readable.push(`${c.name}: ${r.status}`);
    }
    expect(readable).toEqual([]);
  });
});
