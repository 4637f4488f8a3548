/**
 * Live reload of the mock's contract, each case its own `npm run mock` process: SIGHUP applies a
 * compatible change (the new operation answers, the old ones still do), refuses a breaking one
 * (the log names each finding; the old operation still answers) unless --allow-breaking or a new
 * major info.version, refuses a document that does not parse, and --watch reloads on a write
 * to the file, or when the document fetched from a URL changes.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../contract/spec.js';
import { documentFile, startEntry, type EntryProcess } from '../testing/entry-process.js';

const ok = (example: unknown) => ({ description: 'ok', content: { 'application/json': { schema: { type: 'object' }, example } } });

/** Version 1: GET /pets. */
const v1: OpenApiDocument = {
  openapi: '3.0.3',
  info: { title: 'Pets', version: '1.0.0' },
  paths: { '/pets': { get: { operationId: 'listPets', responses: { '200': ok({ pets: [] }) } } } },
};
/** A compatible change: GET /pets/{id} is added. */
const withGetPet: OpenApiDocument = {
  ...v1,
  info: { title: 'Pets', version: '1.1.0' },
  paths: { ...v1.paths, '/pets/{id}': { get: { operationId: 'getPet', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': ok({ name: 'Rex' }) } } } },
};
/** A breaking change: GET /pets is gone, GET /owners is new. */
const withoutPets = (version: string): OpenApiDocument => ({
  ...v1,
  info: { title: 'Pets', version },
  paths: { '/owners': { get: { operationId: 'listOwners', responses: { '200': ok({ owners: [] }) } } } },
});

const reloaded = (line: Record<string, any>) => String(line.msg).startsWith('contract reloaded');
const refused = (line: Record<string, any>) => String(line.msg).startsWith('contract reload refused');
const status = async (mock: EntryProcess, path: string) => (await fetch(mock.url + path)).status;
/** The process's specgate_contract_reloads_total{outcome} (METRICS_PORT=0: the port is in its log). */
async function reloadsCounted(mock: EntryProcess, outcome: string): Promise<number> {
  const at = String((await mock.line((l) => l.metrics_port !== undefined)).msg).split(' ').at(-1)!;
  const text = await (await fetch(at)).text();
  return Number(new RegExp(`specgate_contract_reloads_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
}

let mock: EntryProcess | undefined;
afterEach(async () => {
  await mock?.stop();
  mock = undefined;
});

/** Starts the mock on `document`'s file, writes `next` over it and sends SIGHUP. */
async function reloadWith(next: OpenApiDocument | string, args: string[] = [], env: Record<string, string> = {}) {
  const file = documentFile(v1);
  mock = await startEntry('src/mock/cli.ts', [file, ...args], env);
  expect(await status(mock, '/pets')).toBe(200);
  writeFileSync(file, typeof next === 'string' ? next : JSON.stringify(next));
  mock.child.kill('SIGHUP');
  return mock;
}

describe('SIGHUP to the mock', () => {
  it('applies a compatible change: the new operation answers and the old one still does', async () => {
    const running = await reloadWith(withGetPet, [], { METRICS_PORT: '0' });
    const line = await running.line(reloaded);
    expect(await reloadsCounted(running, 'applied')).toBe(1);
    expect(line).toMatchObject({ trigger: 'SIGHUP', reason: 'compatible', operations: 3 });
    expect(line.before).toMatch(/^[0-9a-f]{12}$/);
    expect(line.after).toMatch(/^[0-9a-f]{12}$/);
    expect(line.after).not.toBe(line.before);
    expect(await (await fetch(`${running.url}/pets/7`)).json()).toEqual({ name: 'Rex' });
    // The published document follows the swap at once.
    expect(Object.keys((await (await fetch(`${running.url}/openapi.json`)).json()).paths)).toEqual(expect.arrayContaining(['/pets', '/pets/{id}']));
    expect(await status(running, '/pets')).toBe(200);
  });

  it('refuses a breaking change, logs every breaking finding, and keeps serving the running contract', async () => {
    const running = await reloadWith(withoutPets('1.2.0'), [], { METRICS_PORT: '0' });
    const line = await running.line(refused);
    expect(await reloadsCounted(running, 'refused')).toBe(1);
    expect(line).toMatchObject({ reason: 'breaking', counts: { breaking: 1 } });
    const finding = running.log.find((l) => l.check === 'path-removed');
    expect(finding).toMatchObject({ operation: 'GET /pets (listPets)', pointer: '/paths/~1pets/get → —' });
    expect(await status(running, '/pets')).toBe(200);
    expect(await status(running, '/owners')).toBe(404);
  });

  it('applies a breaking change with --allow-breaking', async () => {
    const running = await reloadWith(withoutPets('1.2.0'), ['--allow-breaking']);
    expect(await running.line(reloaded)).toMatchObject({ reason: 'allow-breaking' });
    expect(await status(running, '/pets')).toBe(404);
    expect(await status(running, '/owners')).toBe(200);
  });

  it('applies a breaking change with RELOAD_ALLOW_BREAKING=true', async () => {
    const running = await reloadWith(withoutPets('1.2.0'), [], { RELOAD_ALLOW_BREAKING: 'true' });
    expect(await running.line(reloaded)).toMatchObject({ reason: 'allow-breaking' });
    expect(await status(running, '/owners')).toBe(200);
  });

  it('applies a breaking change whose info.version has a new major number', async () => {
    const running = await reloadWith(withoutPets('2.0.0'));
    expect(await running.line(reloaded)).toMatchObject({ reason: 'major-version' });
    expect(await status(running, '/pets')).toBe(404);
    expect(await status(running, '/owners')).toBe(200);
  });

  it('refuses a document that does not parse in one line, and keeps serving', async () => {
    const running = await reloadWith('openapi: [3.0.3\npaths: {');
    const line = await running.line(refused);
    expect(line.reason).toBe('unreadable');
    expect(running.log.filter(refused)).toHaveLength(1);
    expect(await status(running, '/pets')).toBe(200);
  });
});

describe('--watch', () => {
  it('reloads the mock when the file changes', async () => {
    const file = documentFile(v1);
    mock = await startEntry('src/mock/cli.ts', [file, '--watch'], {});
    await mock.line((l) => String(l.msg).startsWith('watching'));
    writeFileSync(file, JSON.stringify(withGetPet));
    expect(await mock.line(reloaded)).toMatchObject({ trigger: 'watch' });
    expect(await status(mock, '/pets/1')).toBe(200);
  });

  it('reloads the mock when the document it fetches from a URL changes (RELOAD_POLL_SECONDS)', async () => {
    let served = JSON.stringify(v1);
    const origin = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(served)).listen(0, '127.0.0.1');
    await new Promise((resolve) => origin.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(origin.address() as AddressInfo).port}/openapi.json`;
      mock = await startEntry('src/mock/cli.ts', [url, '--watch'], { RELOAD_POLL_SECONDS: '1' });
      expect(await status(mock, '/pets/1')).toBe(404);
      served = JSON.stringify(withGetPet);
      expect(await mock.line(reloaded)).toMatchObject({ trigger: 'watch', source: url });
      expect(await status(mock, '/pets/1')).toBe(200);
    } finally {
      origin.closeAllConnections();
      origin.close();
    }
  });
});
