/**
 * A browser reads the headers specgate adds to a mock's answer even where the document does not
 * declare them: Chromium on one origin fetches a rate-limited mock operation on another and reads
 * RateLimit and RateLimit-Policy (src/pipeline/added-headers.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredInCi } from '../testing/required-in-ci.js';
import { chromiumStatus, launchChromium, pageFetch, servePage, type PageOrigin } from '../testing/browser.js';
import { startMock, type TestMock } from '../testing/mock-server.js';

const chromium = chromiumStatus();
requiredInCi(chromium, 'the mock browser suite in CI', 'Chromium');

/** A document with one rate-limited operation whose responses declare no header at all. */
const document = {
  openapi: '3.1.0',
  info: { title: 'Undeclared headers', version: '1.0.0' },
  paths: {
    '/things': {
      get: {
        operationId: 'listThings',
        'x-specgate-rate-limit': { requests: 50, per: 60, by: 'ip' },
        responses: {
          '200': { description: 'Things', content: { 'application/json': { schema: { type: 'array', items: { type: 'string' } } } } },
          '429': { description: 'Too many requests' },
        },
      },
    },
  },
};

describe.skipIf(!chromium.available)('a mock answer read cross-origin in Chromium', () => {
  let browser: Browser;
  let front: PageOrigin;
  let mock: TestMock;
  let page: Page;

  beforeAll(async () => {
    [browser, front] = await Promise.all([launchChromium(), servePage()]);
    mock = await startMock(document, { env: { CORS_ORIGINS: front.origin } });
    page = await browser.newPage();
    await page.goto(`${front.origin}/`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await front?.close();
    await mock?.close();
  });

  it('lets the page read RateLimit and RateLimit-Policy that the document never declares', async () => {
    const result = await pageFetch(page, { url: `${mock.url}/things`, method: 'GET', headers: {}, credentials: 'include' });
    if (!result.ok) throw new Error(result.error);
    expect(result.status).toBe(200);
    expect(result.headers['ratelimit-policy']).toBe('"listThings";q=50;w=60');
    expect(result.headers.ratelimit).toMatch(/^"listThings";r=49;t=\d+$/);
    expect(result.headers['x-request-id']).toMatch(/.+/);
  });
});
