/**
 * `npm run gateway -- <url> --overlay FILE` as an operator runs it, each gateway its own process:
 * the contract is the one a FastAPI-like backend publishes at /openapi.json, fetched while that
 * backend is still starting, and changed by an Overlay 1.0 file (upstream at the root, bearer
 * security on one operation, a path removed, a query parameter appended) before it is compiled.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startEntry, type EntryProcess } from '../testing/entry-process.js';
import { mintToken, TEST_JWT_SECRET } from '../testing/tokens.js';
import { freePort } from '../testing/free-port.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'specgate-overlay-'));
const write = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  return path;
};

/** What FastAPI publishes for a small app: no security, no specgate extensions. */
const published = {
  openapi: '3.1.0',
  info: { title: 'Items (FastAPI)', version: '0.1.0' },
  paths: {
    '/items': {
      get: {
        operationId: 'list_items',
        parameters: [{ name: 'q', in: 'query', required: false, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Item' } } } } } },
      },
    },
    '/items/{item_id}': {
      get: {
        operationId: 'read_item',
        parameters: [{ name: 'item_id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } } },
      },
    },
    '/admin/reset': { post: { operationId: 'reset', responses: { '204': { description: 'reset' } } } },
  },
  components: { schemas: { Item: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } } } },
};

/** A free port nothing listens on (yet). */

/**
 * The backend, starting: it drops the first connection and stops listening, as a process that is
 * restarting does, and listens again `delayMs` later (refusing connections meanwhile); then it
 * serves its document at /openapi.json and its items under /items.
 */
function startRestartingBackend(port: number, delayMs: number) {
  const times = { firstTry: 0, documentServed: 0 };
  const backend = createServer((req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const url = new URL(req.url!, 'http://backend');
    if (url.pathname === '/openapi.json') return (times.documentServed = Date.now()), json(200, published);
    if (url.pathname === '/items') return json(200, [{ id: '1', name: `q=${url.searchParams.get('q')} limit=${url.searchParams.get('limit')}` }]);
    const item = /^\/items\/([^/]+)$/.exec(url.pathname);
    if (item) return json(200, { id: item[1], name: `seen by the backend with ${req.headers['x-user-id'] ?? 'nobody'}` });
    json(404, { detail: 'Not Found' });
  });
  const starting = createServer((req) => {
    times.firstTry = Date.now();
    req.socket.destroy();
    starting.close();
    setTimeout(() => backend.listen(port, '127.0.0.1'), delayMs);
  }).listen(port, '127.0.0.1');
  return { backend, times };
}

/** Runs the gateway CLI to its exit; resolves with the exit code, its output and how long it ran. */
function runGatewayToExit(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/gateway/cli.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output, ms: Date.now() - started })));
}

/** The `msg` of the fatal JSON log line. */
const fatalOf = (output: string) => output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)).find((line) => line.level === 60)?.msg;

describe('a gateway whose contract is the backend’s /openapi.json plus an overlay', () => {
  let backend: Server;
  let times: { firstTry: number; documentServed: number };
  let gateway: EntryProcess;
  let backendUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    backendUrl = `http://127.0.0.1:${port}`;
    const overlay = write('overlay.yaml', {
      overlay: '1.0.0',
      info: { title: 'Edge rules for the items API', version: '1' },
      actions: [
        { target: '$', update: { 'x-specgate-upstream': backendUrl, components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } } } },
        { target: "$.paths['/items/{item_id}'].get", update: { security: [{ bearerAuth: [] }] } },
        { target: "$.paths['/admin/reset']", remove: true },
        { target: "$.paths['/items'].get.parameters", update: { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 10 } } },
        { target: "$.paths['/nowhere']", update: { 'x-a': 1 } },
      ],
    });
    ({ backend, times } = startRestartingBackend(port, 1000));
    gateway = await startEntry('src/gateway/cli.ts', [`${backendUrl}/openapi.json`, '--overlay', overlay], { SPEC_FETCH_TIMEOUT_MS: '20000' });
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await new Promise((resolve) => backend?.close(resolve));

  });

  it('waited for the backend: it says it retries, then listens on the document it published', async () => {
    expect(times.documentServed - times.firstTry).toBeGreaterThanOrEqual(1000);
    const retrying = gateway.log.filter((line) => String(line.msg).includes('retrying')).map((line) => line.msg);
    expect(retrying).toEqual([`${backendUrl}/openapi.json: connection reset; retrying for up to 20000 ms (SPEC_FETCH_TIMEOUT_MS)`]);
    expect(gateway.log.find((line) => /listening on/.test(line.msg))?.msg).toMatch(/^gateway for "Items \(FastAPI\)" listening on http:\/\//);
  });

  it('warns in one line about the overlay action that selects nothing', () => {
    expect(gateway.log.filter((line) => line.level === 40).map((line) => line.msg)).toContain(`${join(dir, 'overlay.yaml')}: action 5 ($.paths['/nowhere']) selects nothing in the document; skipped`);
  });

  it('requires the bearer token the overlay added, and forwards to the upstream the overlay named', async () => {
    const refused = await fetch(`${gateway.url}/items/7`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ status_code: 401, error_type: 'authentication_error' });
    const allowed = await fetch(`${gateway.url}/items/7`, { headers: { authorization: `Bearer ${await mintToken('user-42')}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ id: '7', name: 'seen by the backend with user-42' });
  });

  it('no longer has the path the overlay removed', async () => {
    const res = await fetch(`${gateway.url}/admin/reset`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error_type: 'not_found' });
  });

  it('validates the query parameter the overlay appended, and keeps the published one', async () => {
    expect((await fetch(`${gateway.url}/items?limit=50`)).status).toBe(400);
    const ok = await fetch(`${gateway.url}/items?q=pen&limit=5`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual([{ id: '1', name: 'q=pen limit=5' }]);
  });
});

describe('a gateway that cannot get its contract', () => {
  it('exits 1 within SPEC_FETCH_TIMEOUT_MS, saying which URL refused the connection', async () => {
    const url = `http://127.0.0.1:${await freePort()}/openapi.json`;
    const { code, output } = await runGatewayToExit([url], { SPEC_FETCH_TIMEOUT_MS: '1500' });
    expect(code).toBe(1);
    const message = fatalOf(output);
    expect(message).toMatch(new RegExp(`^gateway: ${url.replace(/[.]/g, '\\.')}: cannot be read: connection refused after \\d+ attempts in (\\d+) ms \\(SPEC_FETCH_TIMEOUT_MS=1500\\)$`));
    const waited = Number(/in (\d+) ms/.exec(message)![1]);
    expect(waited).toBeGreaterThanOrEqual(1500);
    expect(waited).toBeLessThan(2500);
  }, 30_000);

  it('exits 1 at once on a malformed overlay, in one line', async () => {
    const document = write('doc.yaml', published);
    const overlay = write('bad-overlay.yaml', { overlay: '1.0.0', info: { title: 'bad', version: '1' }, actions: [{ update: { 'x-a': 1 } }] });
    const { code, output } = await runGatewayToExit([document, '--overlay', overlay], {});
    expect(code).toBe(1);
    expect(fatalOf(output)).toBe(`gateway: ${overlay}: action 1 has no target`);
  }, 30_000);
});
