/**
 * The Tasks API's own spec with one operation sent upstream: that operation is forwarded (after
 * the same authentication and validation), every other one is still answered by its handler, and
 * /health reports the upstream.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../contract/handler.js';
import { contractFrom, loadContract } from '../contract/spec.js';
import { handlers } from '../handlers/index.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';

const TASK_ID = '0b3c2f0e-8f0a-4c3e-9d6a-2f7b1e0c9a11';
let upstream: Server;
let api: TestServer;
let token: string;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push({ url: req.url!, headers: req.headers });
    // The contract declares an ETag on getTask's 200: an upstream without one is answered 502 (enforce).
    res.writeHead(200, { 'content-type': 'application/json', etag: '"legacy-1"' });
    res.end(JSON.stringify({ id: TASK_ID, title: 'From the legacy backend', description: null, is_completed: false, created_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-01T00:00:00Z' }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/legacy`;
  const document = structuredClone(loadContract().document);
  document.paths['/api/tasks/{taskId}'].get['x-specgate-upstream'] = base;
  const { getTask: _forwarded, ...local } = handlers;
  api = await startTestServer({ contract: contractFrom(document), handlers: local as unknown as Handlers });
  token = await mintToken('user-7');
});
afterAll(async () => {
  await api?.close();
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
});

describe('the Tasks API with one operation upstream', () => {
  it('forwards getTask with the verified caller, and refuses a bad id without forwarding it', async () => {
    const res = await api.request(`/api/tasks/${TASK_ID}`, { token, headers: { 'x-user-id': 'someone-else' } });
    expect(res.status).toBe(200);
    expect((await res.json()).title).toBe('From the legacy backend');
    expect(seen.at(-1)).toMatchObject({ url: `/legacy/api/tasks/${TASK_ID}` });
    expect(seen.at(-1)!.headers['x-user-id']).toBe('user-7');
    const count = seen.length;
    expect((await api.request('/api/tasks/not-a-uuid', { token })).status).toBe(400);
    expect(seen.length).toBe(count);
  });

  it('still answers the other operations with its handlers', async () => {
    const created = await api.request('/api/tasks', { method: 'POST', token, body: JSON.stringify({ title: 'Local' }), headers: { 'content-type': 'application/json' } });
    expect(created.status).toBe(201);
    const list = await api.request('/api/tasks', { token });
    expect((await list.json()).items.map((t: { title: string }) => t.title)).toEqual(['Local']);
  });

  it('reports the upstream in /health', async () => {
    const res = await api.request('/health');
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'up', upstreams: [{ origin: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, state: 'up' }] });
  });
});
