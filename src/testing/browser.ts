/**
 * Real-browser helpers: Debian's Chromium driven by playwright-core (never `playwright install`),
 * pages served from their own origin by a tiny node:http server, and fetch() run inside them.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, headless, sandbox-less Chromium that talks to nothing but the test servers. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether Chromium can run here, and if not what to tell the developer. */
export function chromiumStatus(): { available: true } | { available: false; message: string } {
  if (existsSync(CHROMIUM_PATH)) return { available: true };
  return {
    available: false,
    message: `Chromium is not installed at ${CHROMIUM_PATH}, so the browser CORS tests are skipped. Install it with: sudo apt-get install -y chromium`,
  };
}

/** Whether the browser tests can run here (see chromiumStatus for the message when not). */
export const chromiumAvailable = existsSync(CHROMIUM_PATH);

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

/** Launches Chromium; playwright gives every launch a fresh temporary user-data-dir. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** A page origin served by the test, e.g. http://localhost:51234. */
export interface PageOrigin {
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves an empty HTML page at http://localhost:<port>/ (an origin distinct from 127.0.0.1). */
export async function servePage(): Promise<PageOrigin> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>frontend</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a page's fetch() let its script see: the response, or only the TypeError a CORS failure gives. */
export type PageFetchResult =
  | { readonly ok: true; readonly status: number; readonly body: any; readonly headers: Readonly<Record<string, string | null>> }
  | { readonly ok: false; readonly error: string };

/** What the page asks fetch() to do. */
export interface PageFetch {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly credentials: 'include' | 'same-origin' | 'omit';
  readonly mode?: 'cors' | 'no-cors';
}

/** The response headers a script tries to read. */
export const READ_HEADERS = ['x-request-id', 'www-authenticate', 'allow', 'retry-after', 'location', 'content-type', 'ratelimit', 'ratelimit-policy', 'etag', 'idempotent-replayed', 'deprecation', 'sunset', 'link', 'x-specgate-contract-violation'];

/** Runs fetch() inside the page and reports what its script could read. */
export function pageFetch(page: Page, request: PageFetch): Promise<PageFetchResult> {
  return page.evaluate(
    async ({ request, names }) => {
      try {
        const res = await fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          credentials: request.credentials,
          mode: request.mode ?? 'cors',
        });
        const text = await res.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: the raw text is what the script sees.
        }
        const headers = Object.fromEntries(names.map((name) => [name, res.headers.get(name)]));
        return { ok: true as const, status: res.status, body, headers };
      } catch (error) {
        return { ok: false as const, error: String(error) };
      }
    },
    { request, names: READ_HEADERS },
  );
}
