/**
 * CORS as a browser sees it: Chromium loads a page from one origin and calls the API on another
 * with fetch(). For every error path the page must read the status, the JSON body and the exposed
 * headers; a page from a foreign origin must read nothing; and every mutant app that loses CORS
 * on one error path must fail the same check.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredInCi } from '../testing/required-in-ci.js';
import { chromiumStatus, launchChromium, pageFetch, READ_HEADERS, servePage, type PageFetchResult, type PageOrigin } from '../testing/browser.js';
import { errorCases, type ErrorCase } from '../testing/error-cases.js';
import { closeWorld, openWorldResources, startTarget, startWorld, type World, type WorldResources } from '../testing/error-world.js';
import { corsAfter, stripCorsFor, type Mutant } from '../testing/mutants.js';
import type { TestServer } from '../testing/server.js';

const chromium = chromiumStatus();
requiredInCi(chromium, 'the browser suite in CI', 'Chromium');

/** What a page failed to read of an error response; [] when it read everything. */
function unreadable(c: ErrorCase, r: PageFetchResult): string[] {
  if (!r.ok) return [`fetch() rejected: ${r.error}`];
  const problems: string[] = [];
  if (r.status !== c.status) problems.push(`status ${r.status}, expected ${c.status}`);
  if (r.body?.error_type !== c.errorType || r.body?.status_code !== c.status) problems.push(`body ${JSON.stringify(r.body)}`);
  if (!r.headers['x-request-id'] || r.body?.request_id !== r.headers['x-request-id']) problems.push('X-Request-ID not readable');
  for (const [name, pattern] of Object.entries(c.exposed)) {
    if (!pattern.test(r.headers[name.toLowerCase()] ?? '')) problems.push(`${name} not readable (${r.headers[name.toLowerCase()]})`);
  }
  return problems;
}

const CREDENTIALS = ['same-origin', 'include'] as const;

describe.skipIf(!chromium.available)('in Chromium', () => {
  let browser: Browser;
  let front: PageOrigin;
  let foreign: PageOrigin;
  let resources: WorldResources;
  let world: World;
  let cases: ErrorCase[];
  let page: Page;
  let foreignPage: Page;

  const fetchCase = (on: Page, server: TestServer, c: ErrorCase, credentials: (typeof CREDENTIALS)[number]) =>
    pageFetch(on, { url: server.url + c.request.path, method: c.request.method, headers: c.request.headers, body: c.request.body, credentials });

  beforeAll(async () => {
    [browser, front, foreign, resources] = await Promise.all([launchChromium(), servePage(), servePage(), openWorldResources()]);
    world = await startWorld(resources, { CORS_ORIGINS: front.origin });
    cases = errorCases(resources);
    [page, foreignPage] = await Promise.all([browser.newPage(), browser.newPage()]);
    await Promise.all([page.goto(`${front.origin}/`), foreignPage.goto(`${foreign.origin}/`)]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (world) await closeWorld(world);
    await Promise.all([resources?.close(), front?.close(), foreign?.close()]);
  });

  describe.each(CREDENTIALS)('a page on an allowed origin, credentials: %s', (credentials) => {
    it('reads a simple GET, and a preflighted POST and PATCH with their Location', async () => {
      const api = world.api.url;
      const health = await pageFetch(page, { url: `${api}/health`, method: 'GET', headers: {}, credentials });
      expect(health).toMatchObject({ ok: true, status: 200, body: { status: 'ok' } });
      const auth = { authorization: `Bearer ${resources.tokens.user}`, 'content-type': 'application/json' };
      const created = await pageFetch(page, { url: `${api}/api/tasks`, method: 'POST', headers: auth, body: JSON.stringify({ title: `From the browser (${credentials})` }), credentials });
      expect(created).toMatchObject({ ok: true, status: 201, body: { title: `From the browser (${credentials})` } });
      const id = created.ok ? created.body.id : '';
      expect(created.ok && created.headers.location).toBe(`/api/tasks/${id}`);
      const patched = await pageFetch(page, { url: `${api}/api/tasks/${id}`, method: 'PATCH', headers: auth, body: '{"is_completed":true}', credentials });
      expect(patched).toMatchObject({ ok: true, status: 200, body: { id, is_completed: true } });
    });

    it('reads the ETag, a 304 for an unchanged task, and the RateLimit fields of a create', async () => {
      const api = world.api.url;
      const auth = { authorization: `Bearer ${resources.tokens.user}`, 'content-type': 'application/json' };
      const created = await pageFetch(page, { url: `${api}/api/tasks`, method: 'POST', headers: auth, body: JSON.stringify({ title: `Cached (${credentials})` }), credentials });
      expect(created.ok && created.headers['ratelimit-policy']).toBe('"createTask";q=60;w=60');
      expect(created.ok && created.headers.ratelimit).toMatch(/^"createTask";r=\d+;t=\d+$/);
      const id = created.ok ? created.body.id : '';
      const read = await pageFetch(page, { url: `${api}/api/tasks/${id}`, method: 'GET', headers: auth, credentials });
      const etag = read.ok ? read.headers.etag : null;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
      const again = await pageFetch(page, { url: `${api}/api/tasks/${id}`, method: 'GET', headers: { ...auth, 'if-none-match': etag! }, credentials });
      expect(again).toMatchObject({ ok: true, status: 304, body: '', headers: { etag } });
    });

    it('reads the status, JSON body and exposed headers of every error path', async () => {
      const failures: Record<string, string[]> = {};
      for (const c of cases) {
        const problems = unreadable(c, await fetchCase(page, world[c.request.target], c, credentials));
        if (problems.length > 0) failures[c.name] = problems;
      }
      expect(failures).toEqual({});
    });
  });

  describe('a page on a foreign origin', () => {
    it('cannot read any error response: fetch() rejects', async () => {
      const read: string[] = [];
      for (const c of cases) {
        const r = await fetchCase(foreignPage, world[c.request.target], c, 'include');
        if (r.ok || r.error !== 'TypeError: Failed to fetch') read.push(`${c.name}: ${JSON.stringify(r)}`);
      }
      expect(read).toEqual([]);
    });

    it('gets only an opaque response in no-cors mode: no status, no body, no headers', async () => {
      const r = await pageFetch(foreignPage, { url: `${world.api.url}/health`, method: 'GET', headers: {}, credentials: 'include', mode: 'no-cors' });
      expect(r).toEqual({
        ok: true,
        status: 0,
        body: '',
        headers: Object.fromEntries(READ_HEADERS.map((name) => [name, null])),
      });
    });
  });

  describe('the mutation check', () => {
    /** Runs the page's check for these cases against mutant apps; returns what it read, per case. */
    async function checkMutant(mutant: Mutant, chosen: readonly ErrorCase[]) {
      const servers = new Map<string, TestServer>();
      try {
        const results: Record<string, string[]> = {};
        for (const c of chosen) {
          let server = servers.get(c.request.target);
          if (!server) {
            server = await startTarget(resources, c.request.target, { env: { CORS_ORIGINS: front.origin }, arrange: mutant.arrange, parserCors: mutant.parserCors });
            servers.set(c.request.target, server);
          }
          results[c.name] = unreadable(c, await fetchCase(page, server, c, 'include'));
        }
        return results;
      } finally {
        await Promise.all([...servers.values()].map((s) => s.close()));
      }
    }

    const statuses = () => [...new Set(cases.map((c) => c.status))];

    it('fails for every error path when its responses lose CORS, and only for that path', async () => {
      expect(statuses().length).toBeGreaterThanOrEqual(11);
      for (const status of statuses()) {
        const mutant = stripCorsFor(status);
        const control = cases.find((c) => c.status !== status && c.request.target === 'api')!;
        const hit = cases.filter((c) => c.status === status);
        const results = await checkMutant(mutant, [...hit, control]);
        for (const c of hit) expect(results[c.name], `${mutant.name}: ${c.name}`).toContainEqual(expect.stringMatching(/^fetch\(\) rejected/));
        expect(results[control.name], `${mutant.name}: control ${control.name}`).toEqual([]);
      }
      // One pair of mutant apps per status: the time grows with the catalogue, not with one request.
    }, 90_000);

    it.each(['route', 'authenticate'])('fails when CORS is mounted after the %s stage', async (stage) => {
      const mutant = corsAfter(stage);
      const hit = cases.filter((c) => c.path.startsWith(stage));
      expect(hit.length).toBeGreaterThan(0);
      const results = await checkMutant(mutant, hit);
      for (const c of hit) expect(results[c.name], `${mutant.name}: ${c.name}`).not.toEqual([]);
    });
  });
});
