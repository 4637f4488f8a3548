/**
 * Live reload of the gateway's contract in front of a real upstream, as its own process: a
 * compatible change is applied while a slow request is in flight (that request still gets its
 * upstream answer through the pipeline it started on; the new operation is forwarded at once),
 * a breaking change is refused naming the finding (the old operation still forwards), and
 * --allow-breaking, a new major version and WORKERS (one worker at a time) apply it.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../contract/spec.js';
import { documentFile, startEntry, type EntryProcess } from '../testing/entry-process.js';
import { startTestUpstream, type TestUpstream } from '../testing/upstream.js';

const item = { description: 'An item', content: { 'application/json': { schema: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } } } } };
const error = { description: 'Error', content: { 'application/json': { schema: { type: 'object' } } } };

/** GET /cases/{case}, forwarded to UPSTREAM_URL. */
const v1: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Reloaded gateway', version: '1.0.0' },
  paths: {
    '/cases/{case}': { get: { operationId: 'getCase', parameters: [{ name: 'case', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': item, default: error } } },
  },
};
/** Compatible: GET /items/{id} is added. */
const withItems = (version = '1.1.0', cases = true): OpenApiDocument => ({
  ...v1,
  info: { ...v1.info, version },
  paths: {
    ...(cases ? v1.paths : {}),
    '/items/{id}': { get: { operationId: 'getItem', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': item, default: error } } },
  },
});

const reloaded = (line: Record<string, any>) => String(line.msg).startsWith('contract reloaded');
const refused = (line: Record<string, any>) => String(line.msg).startsWith('contract reload refused');

let upstream: TestUpstream;
let gateway: EntryProcess | undefined;
beforeAll(async () => {
  upstream = await startTestUpstream();
});
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});
afterAll(async () => {
  await upstream?.close();
});

/** Starts the gateway on v1's file; returns it and the file. */
async function startGateway(args: string[] = [], env: Record<string, string> = {}) {
  const file = documentFile(v1);
  gateway = await startEntry('src/gateway/cli.ts', [file, ...args], { UPSTREAM_URL: upstream.url, ...env });
  return { running: gateway, file };
}

describe('SIGHUP to the gateway', () => {
  it('applies a compatible change while a request is in flight: that request finishes, new ones take the new contract', async () => {
    const { running, file } = await startGateway();
    let answeredAt: number | undefined;
    const slow = fetch(`${running.url}/cases/slow`).then((res) => ((answeredAt = Date.now()), res));
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(file, JSON.stringify(withItems()));
    running.child.kill('SIGHUP');
    // The document's 2 operations, the gateway's /livez, /readyz and /health, and its published /openapi.json, /openapi.yaml and /docs.
    expect(await running.line(reloaded)).toMatchObject({ reason: 'compatible', operations: 8 });
    expect(answeredAt, 'the slow request was still in flight at the swap').toBeUndefined();
    const fresh = await fetch(`${running.url}/items/42`);
    expect(fresh.status).toBe(200);
    expect(await fresh.json()).toEqual({ id: '42', name: 'An item' });
    const late = await slow;
    expect(late.status).toBe(200);
    expect(await late.json()).toEqual({ id: 'slow', name: 'late' });
    expect((await fetch(`${running.url}/cases/ok`)).status).toBe(200);
  });

  it('refuses a reload once SIGTERM has started the drain: the request in flight is answered, and nothing is swapped', async () => {
    const { running, file } = await startGateway();
    const slow = fetch(`${running.url}/cases/slow`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    running.child.kill('SIGTERM');
    await running.line((l) => String(l.msg).startsWith('shutting down'));
    writeFileSync(file, JSON.stringify(withItems()));
    running.child.kill('SIGHUP');
    expect(await running.line(refused)).toMatchObject({ trigger: 'SIGHUP', reason: 'shutting down' });
    const late = await slow;
    expect(late.status).toBe(200);
    expect(await late.json()).toEqual({ id: 'slow', name: 'late' });
    expect(await running.exited).toBe(0);
    expect(running.log.filter(reloaded)).toEqual([]);
  });

  it('refuses a breaking change, naming the finding, and keeps forwarding the old operation', async () => {
    const { running, file } = await startGateway();
    writeFileSync(file, JSON.stringify(withItems('1.1.0', false)));
    running.child.kill('SIGHUP');
    expect(await running.line(refused)).toMatchObject({ reason: 'breaking' });
    expect(running.log.find((l) => l.check === 'path-removed')).toMatchObject({ operation: 'GET /cases/{case} (getCase)', pointer: '/paths/~1cases~1{case}/get → —' });
    expect(await (await fetch(`${running.url}/cases/ok`)).json()).toEqual({ id: 'ok', name: 'fine' });
    expect((await fetch(`${running.url}/items/1`)).status).toBe(404);
  });

  it('applies the breaking change with --allow-breaking', async () => {
    const { running, file } = await startGateway(['--allow-breaking']);
    writeFileSync(file, JSON.stringify(withItems('1.1.0', false)));
    running.child.kill('SIGHUP');
    expect(await running.line(reloaded)).toMatchObject({ reason: 'allow-breaking' });
    expect((await fetch(`${running.url}/cases/ok`)).status).toBe(404);
    expect((await fetch(`${running.url}/items/1`)).status).toBe(200);
  });

  it('applies the breaking change when info.version has a new major number', async () => {
    const { running, file } = await startGateway();
    writeFileSync(file, JSON.stringify(withItems('2.0.0', false)));
    running.child.kill('SIGHUP');
    expect(await running.line(reloaded)).toMatchObject({ reason: 'major-version' });
    expect((await fetch(`${running.url}/items/1`)).status).toBe(200);
  });

  it('refuses a document that does not parse', async () => {
    const { running, file } = await startGateway();
    writeFileSync(file, '{"openapi": ');
    running.child.kill('SIGHUP');
    expect(await running.line(refused)).toMatchObject({ reason: 'unreadable' });
    expect((await fetch(`${running.url}/cases/ok`)).status).toBe(200);
  });

  it('refuses a compatible document whose schema does not compile, naming it, and keeps serving the running contract', async () => {
    const { running, file } = await startGateway();
    const broken = withItems();
    broken.paths['/items/{id}'].get.parameters[0].schema = { type: 'string', pattern: '(' };
    writeFileSync(file, JSON.stringify(broken));
    running.child.kill('SIGHUP');
    const line = await running.line(refused);
    expect(line).toMatchObject({ reason: 'build' });
    expect(String(line.msg)).toMatch(/getItem/);
    expect((await fetch(`${running.url}/cases/ok`)).status).toBe(200);
    expect((await fetch(`${running.url}/items/1`)).status).toBe(404);
  });

  it('with WORKERS=2, reloads every worker one at a time', async () => {
    const { running, file } = await startGateway([], { WORKERS: '2' });
    await running.line((l) => String(l.msg).endsWith('with 2 workers'));
    writeFileSync(file, JSON.stringify(withItems()));
    running.child.kill('SIGHUP');
    await running.line((l) => String(l.msg).startsWith('contract reload done in every worker'));
    const applied = running.log.filter(reloaded);
    expect(applied).toHaveLength(2);
    expect(new Set(applied.map((l) => l.worker))).toEqual(new Set([1, 2]));
    for (let i = 0; i < 4; i++) expect((await fetch(`${running.url}/items/${i}`, { headers: { connection: 'close' } })).status).toBe(200);
  }, 60_000);
});

describe('--watch on the gateway', () => {
  it('reloads when the file changes', async () => {
    const { running, file } = await startGateway(['--watch']);
    await running.line((l) => String(l.msg).startsWith('watching'));
    writeFileSync(file, JSON.stringify(withItems()));
    expect(await running.line(reloaded)).toMatchObject({ trigger: 'watch' });
    expect((await fetch(`${running.url}/items/9`)).status).toBe(200);
  });
});
