import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, loopbackPage } from '../testing/browser.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';

// Uses the test server but not its database directly: run once (PGlite project), not as *.http.test.ts.
const example = new URL('../../docs/examples/tasks-app/', import.meta.url);
let api: TestServer;
let site: Server;
let siteUrl: string;
let browser: Browser;

/** Serves the example page and its esbuild bundle from its own origin. */
async function serveExample(): Promise<void> {
  const bundle = await build({ entryPoints: [new URL('main.ts', example).pathname], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false });
  const files: Record<string, [string, string]> = {
    '/': ['text/html; charset=utf-8', readFileSync(new URL('index.html', example), 'utf8')],
    '/app.js': ['text/javascript; charset=utf-8', bundle.outputFiles[0]!.text],
  };
  site = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    res.writeHead(file ? 200 : 404, { 'content-type': file?.[0] ?? 'text/plain' });
    res.end(file?.[1] ?? 'not found');
  });
  site.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => site.once('listening', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
}

describe.skipIf(!chromiumAvailable)('the example frontend in Chromium, on another origin than the API', () => {
  beforeAll(async () => {
    await serveExample();
    [api, browser] = await Promise.all([startTestServer({ env: { CORS_ORIGINS: siteUrl } }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    site?.closeAllConnections();
    await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
  });

  it('adds, completes and deletes a task through the typed client', async () => {
    expect(new URL(siteUrl).origin).not.toBe(new URL(api.url).origin);
    const { page, blocked } = await loopbackPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${siteUrl}/#api=${encodeURIComponent(api.url)}&token=${await mintToken('example-user')}`);
    await page.locator('body[data-loaded="true"]').waitFor();
    await expect.poll(() => page.locator('#tasks li').count()).toBe(0);

    await page.fill('#title', 'Buy milk');
    await page.click('button[type="submit"]');
    const item = page.locator('#tasks li', { hasText: 'Buy milk' });
    await item.waitFor();
    await item.locator('input[type="checkbox"]').check();
    await page.locator('#tasks li.done', { hasText: 'Buy milk' }).waitFor();

    await page.fill('#title', '   ');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.textContent('#error')).toBe('validation_error: The request does not match the API contract.');

    await item.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('#tasks li').count()).toBe(0);
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
  });

  it('shows the typed authentication_error when there is no token', async () => {
    const { page } = await loopbackPage(browser);
    await page.goto(`${siteUrl}/#api=${encodeURIComponent(api.url)}`);
    await expect.poll(() => page.textContent('#error')).toBe('authentication_error: Bearer token required.');
  });

  it('shows why nothing loads when the API does not allow the page origin', async () => {
    // The same page from http://localhost:<port>: an origin the API does not list.
    const refused = siteUrl.replace('127.0.0.1', 'localhost');
    const { page } = await loopbackPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${refused}/#api=${encodeURIComponent(api.url)}&token=${await mintToken('example-user')}`);
    await expect
      .poll(() => page.textContent('#error'), { timeout: 10_000 })
      .toBe(`Could not reach the API at ${api.url}: it is down, or it does not allow this page's origin (${refused}); add it to CORS_ORIGINS.`);
    expect(errors).toEqual([]);
  });
});
