import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadContract } from '../contract/spec.js';
import { chromiumAvailable, launchChromium, loopbackPage } from '../testing/browser.js';
import { startTestServer, type TestServer } from '../testing/server.js';

// Uses the test server but not its database: run once (PGlite project), not as *.http.test.ts.
const contract = loadContract();
const operations = contract.operations.map((op) => {
  const declared = contract.document.paths[op.path][op.method] as { summary: string; tags: string[] };
  return { ...op, summary: declared.summary, tag: declared.tags[0]! };
});
let server: TestServer;
let browser: Browser;

describe.skipIf(!chromiumAvailable)('GET /docs in Chromium', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders every operation of openapi.yaml, offline', async () => {
    const { page, blocked } = await loopbackPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/docs`);
    await page.getByText('Operations').first().waitFor();
    const seen = [await page.evaluate(() => document.body.innerText)];
    // The sidebar lists each tag's operations by summary once the tag is opened.
    for (const tag of new Set(operations.map((op) => op.tag))) {
      await page.getByText(tag, { exact: true }).first().click();
      // The sidebar opens on a later frame: wait for the tag's summaries before reading the page.
      for (const op of operations.filter((o) => o.tag === tag)) await page.getByText(op.summary).first().waitFor();
      seen.push(await page.evaluate(() => document.body.innerText));
    }
    const text = seen.join('\n');
    for (const op of operations) {
      expect(text, op.operationId).toContain(`${op.method.toUpperCase()}\n${op.path}`);
      expect(text, op.operationId).toContain(op.summary);
    }
    expect(errors).toEqual([]);
    // Only Redoc's "API docs by" logo is fetched from its CDN; without it the page is complete.
    expect(blocked.filter((url) => !url.endsWith('/logo-mini-full.svg'))).toEqual([]);
  });
});
