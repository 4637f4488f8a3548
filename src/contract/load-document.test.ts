/**
 * loadDocument against a real node:http server and real files: a URL retried through 503s, one that
 * answers 404 (final, at once), one that never answers within the budget, a body that is not a
 * document, overlays from YAML and JSON applied in order, and Swagger 2.0 converted after them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadDocument } from './load-document.js';

const dir = mkdtempSync(join(tmpdir(), 'specgate-load-'));
const write = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.json') ? JSON.stringify(content) : stringify(content));
  return path;
};
const doc = { openapi: '3.1.0', info: { title: 'T', version: '1' }, paths: { '/a': { get: { operationId: 'a', responses: { '200': { description: 'ok' } } } } } };

let server: Server;
let base: string;
let unavailableUntil = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/starting.json') {
      if (Date.now() < unavailableUntil) return res.writeHead(503, { 'content-type': 'text/plain' }).end('starting');
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    }
    if (req.url === '/page') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Welcome</body></html>');
    if (req.url === '/hangs') return; // accepts, never answers
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

describe('loadDocument from a URL', () => {
  it('retries through 503 answers until the document comes, saying once that it waits', async () => {
    unavailableUntil = Date.now() + 800;
    const infos: string[] = [];
    const loaded = await loadDocument(`${base}/starting.json`, { retry: { timeoutMs: 5000 }, log: { info: (m) => infos.push(m), warn: () => {} } });
    expect(Date.now()).toBeGreaterThanOrEqual(unavailableUntil);
    expect(loaded).toEqual(doc);
    expect(infos).toEqual([`${base}/starting.json: HTTP 503 Service Unavailable; retrying for up to 5000 ms (SPEC_FETCH_TIMEOUT_MS)`]);
  });

  it('fails at once on a 404, naming the URL and the status', async () => {
    const started = Date.now();
    await expect(loadDocument(`${base}/missing.json`, { retry: { timeoutMs: 5000 } })).rejects.toThrow(`${base}/missing.json: cannot be read: HTTP 404 Not Found`);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up on a server that never answers when the budget is spent', async () => {
    const started = Date.now();
    await expect(loadDocument(`${base}/hangs`, { retry: { timeoutMs: 700 } })).rejects.toThrow(`${base}/hangs: cannot be read: no answer (attempt timed out)`);
    // One attempt is given at least 2 s, however small the budget.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses a page that is not a document', async () => {
    await expect(loadDocument(`${base}/page`, { retry: { timeoutMs: 0 } })).rejects.toThrow(`${base}/page: is not an OpenAPI document (not an object)`);
  });
});

describe('loadDocument with overlays', () => {
  it('applies YAML and JSON overlays in order, then converts Swagger 2.0 when asked', async () => {
    const swagger = write('swagger.yaml', { swagger: '2.0', info: { title: 'S', version: '1' }, paths: { '/pets': { get: { operationId: 'pets', responses: { '200': { description: 'ok' } } } }, '/old': { get: { operationId: 'old', responses: { '200': { description: 'ok' } } } } } });
    const first = write('first.yaml', { overlay: '1.0.0', info: { title: 'f', version: '1' }, actions: [{ target: "$.paths['/old']", remove: true }, { target: '$.info', update: { title: 'first' } }] });
    const second = write('second.json', { overlay: '1.0.0', info: { title: 's', version: '1' }, actions: [{ target: '$.info', update: { title: 'second' } }] });
    const loaded = await loadDocument(swagger, { overlays: [first, second], openApi3: true });
    expect(loaded.openapi).toMatch(/^3\.0\./);
    expect(loaded.info).toEqual({ title: 'second', version: '1' });
    expect(Object.keys(loaded.paths)).toEqual(['/pets']);
  });

  it('fails with one line on an overlay that is not Overlay 1.0', async () => {
    const openapiAsOverlay = write('not-overlay.json', doc);
    await expect(loadDocument(write('doc.json', doc), { overlays: [openapiAsOverlay] })).rejects.toThrow(`${openapiAsOverlay}: is not an Overlay 1.0.x document (overlay: null)`);
  });
});
