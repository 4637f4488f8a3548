/**
 * `npm run mock -- <url> --overlay FILE` as a user runs it: the document comes from a node:http
 * server, the overlay changes it (an example replaced, a path removed) before it is compiled, and a
 * Swagger 2.0 document is converted after the overlay, which addresses it as published.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startEntry, type EntryProcess } from '../testing/entry-process.js';

const swagger = {
  swagger: '2.0',
  info: { title: 'Pets (Swagger 2.0)', version: '1' },
  produces: ['application/json'],
  paths: {
    '/pets/{id}': { get: { operationId: 'getPet', parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }], responses: { '200': { description: 'a pet', schema: { type: 'object', properties: { name: { type: 'string' } } }, examples: { 'application/json': { name: 'Rex' } } } } } },
    '/internal': { get: { operationId: 'internal', responses: { '200': { description: 'ok' } } } },
  },
};

let server: Server;
let mock: EntryProcess;
beforeAll(async () => {
  server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(swagger)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const overlay = join(mkdtempSync(join(tmpdir(), 'specgate-mock-overlay-')), 'overlay.yaml');
  writeFileSync(overlay, stringify({
    overlay: '1.0.0',
    info: { title: 'mock tweaks', version: '1' },
    actions: [
      { target: "$.paths['/pets/{id}'].get.responses['200'].examples", update: { 'application/json': { name: 'Fido' } } },
      { target: "$.paths['/internal']", remove: true },
    ],
  }));
  mock = await startEntry('src/mock/cli.ts', [`http://127.0.0.1:${(server.address() as AddressInfo).port}/swagger.json`, '--overlay', overlay], {});
}, 60_000);
afterAll(async () => {
  await mock?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

describe('npm run mock from a URL with an overlay', () => {
  it('answers with the example the overlay set', async () => {
    const res = await fetch(`${mock.url}/pets/7`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'Fido' });
  });

  it('no longer serves the path the overlay removed', async () => {
    expect((await fetch(`${mock.url}/internal`)).status).toBe(404);
  });
});
