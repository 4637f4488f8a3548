/**
 * Real Chromium for the browser tests (playwright-core driving the Debian package at
 * /usr/bin/chromium). Requests to anything but the loopback are refused, so a page that needs
 * the internet fails the test instead of passing on a machine that happens to be online.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Debian's chromium package puts the browser (`apt-get install -y chromium`). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser tests can run here; they skip with a message otherwise. */
export const chromiumAvailable = existsSync(CHROMIUM_PATH);
if (!chromiumAvailable) process.stdout.write(`${CHROMIUM_PATH} is missing: the browser tests are skipped (apt-get install -y chromium).\n`);

/** Launches headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu'] });
}

/** A new page that may only reach 127.0.0.1 / localhost; `blocked` collects what it tried beyond. */
export async function loopbackPage(browser: Browser): Promise<{ page: Page; blocked: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
  const blocked: string[] = [];
  await page.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });
  return { page, blocked };
}
