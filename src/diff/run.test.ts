/**
 * `npm run diff` as a user runs it: exit codes (0 compatible, 1 breaking, 2 unreadable), files and
 * URLs, YAML, JSON and Swagger 2.0, and the severity config.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runDiff } from './run.js';

const SHOP_PATH = new URL('./fixtures/shop.yaml', import.meta.url).pathname;
const SHOP = parse(readFileSync(SHOP_PATH, 'utf8'));
const changed = (change: (doc: Record<string, any>) => void) => {
  const doc = structuredClone(SHOP);
  change(doc);
  return doc;
};
const dir = mkdtempSync(join(tmpdir(), 'specgate-diff-run-'));
const write = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : name.endsWith('.json') ? JSON.stringify(content) : stringify(content));
  return path;
};

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runDiff(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const noTotal = write('no-total.yaml', changed((d) => {
  delete d.components.schemas.Order.properties.total;
  d.components.schemas.Order.required = ['id', 'status'];
}));

describe('npm run diff: exit codes', () => {
  it('exits 1 on a removed path, naming the operation', async () => {
    const { code, out } = await run(SHOP_PATH, write('no-path.yaml', changed((d) => delete d.paths['/orders/{orderId}'])));
    expect(code).toBe(1);
    expect(out).toContain('breaking path-removed  GET /orders/{orderId} (getOrder)\n         path /orders/{orderId} was removed\n');
  });

  it('exits 1 on a new required header, a removed response property, and added scopes', async () => {
    const header = write('header.json', changed((d) => d.paths['/orders'].get.parameters.push({ name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } })));
    const scopes = write('scopes.json', changed((d) => (d.paths['/orders'].post.security = [{ oauth: ['write', 'admin'] }])));
    expect(await run(SHOP_PATH, header)).toMatchObject({ code: 1, out: expect.stringContaining('request-parameter-added-required  GET /orders (listOrders)\n         new required header parameter X-Tenant') });
    expect(await run(SHOP_PATH, noTotal)).toMatchObject({ code: 1, out: expect.stringContaining('response-property-removed  GET /orders/{orderId} (getOrder)\n         Order.total: required property removed') });
    expect(await run(SHOP_PATH, scopes)).toMatchObject({ code: 1, out: expect.stringContaining('security-scopes-added  POST /orders (createOrder)\n         oauth [write] now also needs oauth:admin') });
  });

  it('exits 0 between a document and itself, YAML against JSON', async () => {
    const { code, out } = await run(SHOP_PATH, write('same.json', SHOP));
    expect(code).toBe(0);
    expect(out.trimEnd().split('\n').at(-1)).toBe('0 breaking changes, 0 warnings, 0 info: compatible');
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.yaml'), /^diff: .*nope\.yaml: cannot be read: ENOENT/],
    ['text that is neither JSON nor YAML', () => write('broken.json', '{"openapi": '), /^diff: .*broken\.json: is neither JSON nor YAML: /],
    ['a document that is not OpenAPI', () => write('other.json', { hello: 'world' }), /^diff: .*other\.json: Not an OpenAPI 3\.0\/3\.1 or Swagger 2\.0 document/],
  ])('exits 2 on %s, with one line on stderr', async (_, location, message) => {
    const { code, out, err } = await run(SHOP_PATH, location());
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 2 on arguments it cannot use', async () => {
    expect((await run(SHOP_PATH)).code).toBe(2);
    expect(await run(SHOP_PATH, SHOP_PATH, '--format', 'html')).toMatchObject({ code: 2, err: 'diff: --format must be one of text, json, markdown (got "html").\n' });
  });

  it('runs as `node src/diff/cli.ts`: exit 1 and the report on stdout, exit 2 and one line on stderr', () => {
    const cli = new URL('./cli.ts', import.meta.url).pathname;
    const breaking = spawnSync(process.execPath, ['--import', 'tsx', cli, SHOP_PATH, noTotal, '--format', 'json'], { encoding: 'utf8' });
    expect(breaking.status).toBe(1);
    expect(JSON.parse(breaking.stdout).counts).toEqual({ breaking: 3, warning: 0, info: 0 });
    const unreadable = spawnSync(process.execPath, ['--import', 'tsx', cli, SHOP_PATH, join(dir, 'missing.json')], { encoding: 'utf8' });
    expect(unreadable.status).toBe(2);
    expect(unreadable.stdout).toBe('');
    expect(unreadable.stderr).toMatch(/^diff: .*missing\.json: cannot be read: ENOENT[^\n]*\n$/);
  });
});

describe('npm run diff: documents from URLs and Swagger 2.0', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/shop.yaml') res.end(readFileSync(SHOP_PATH));
      else res.writeHead(404).end('not here');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads an http URL', async () => {
    expect(await run(`${base}/shop.yaml`, noTotal)).toMatchObject({ code: 1, out: expect.stringContaining('response-property-removed') });
  });

  it('exits 2 on a URL that answers 404', async () => {
    expect(await run(`${base}/gone.yaml`, SHOP_PATH)).toMatchObject({ code: 2, err: `diff: ${base}/gone.yaml: cannot be read: HTTP 404 Not Found\n` });
  });

  it('converts a Swagger 2.0 document and compares it with its OpenAPI 3 successor', async () => {
    const swagger = {
      swagger: '2.0',
      info: { title: 'Pets', version: '1' },
      paths: { '/pets': { get: { operationId: 'listPets', produces: ['application/json'], responses: { '200': { description: 'ok', schema: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } } } } } },
    };
    const openapi = {
      openapi: '3.0.3',
      info: { title: 'Pets', version: '2' },
      paths: { '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } } } } } } } } },
    };
    const { code, out } = await run(write('pets-2.json', swagger), write('pets-3.json', openapi), '--format', 'json');
    expect(code).toBe(1);
    expect(JSON.parse(out).findings.map((f: any) => [f.check, f.operation.operationId, f.message])).toEqual([
      ['response-property-became-optional', 'listPets', 'body[].name: no longer required (in response 200 application/json)'],
    ]);
  });
});

describe('npm run diff: --config', () => {
  it('downgrades a check to a warning: the same change exits 0', async () => {
    const config = write('severities.yaml', 'severities:\n  response-property-removed: warning\n');
    const { code, out } = await run(SHOP_PATH, noTotal, '--config', config, '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(out).findings.map((f: any) => [f.check, f.severity])).toEqual([
      ['response-property-removed', 'warning'],
      ['response-property-removed', 'warning'],
      ['response-property-removed', 'warning'],
    ]);
  });

  it('"off" drops a check', async () => {
    const config = write('off.json', { severities: { 'response-property-removed': 'off' } });
    expect(await run(SHOP_PATH, noTotal, '--config', config, '--format', 'json')).toMatchObject({ code: 0, out: expect.stringContaining('"findings": []') });
  });

  it('exits 2 on an unknown check or severity, naming both', async () => {
    const config = write('bad.json', { severities: { 'no-such-check': 'info', 'path-removed': 'fatal' } });
    expect(await run(SHOP_PATH, SHOP_PATH, '--config', config)).toMatchObject({
      code: 2,
      err: `diff: ${config}: unknown check "no-such-check"; "path-removed": severity must be one of breaking, warning, info, off (got "fatal")\n`,
    });
  });
});

describe('npm run diff: overlays', () => {
  const overlay = (name: string, actions: unknown[]) => write(name, { overlay: '1.0.0', info: { title: name, version: '1' }, actions });
  const dropPath = overlay('drop-path.yaml', [{ target: "$.paths['/orders/{orderId}']", remove: true }]);

  it('--new-overlay changes only the new document: a path it removes is breaking', async () => {
    const { code, out } = await run(SHOP_PATH, SHOP_PATH, '--new-overlay', dropPath);
    expect(code).toBe(1);
    expect(out).toContain('breaking path-removed  GET /orders/{orderId} (getOrder)\n');
  });

  it('--overlay changes both documents: the path the new document lost is removed from the old one too', async () => {
    const lost = write('lost-path.yaml', changed((d) => delete d.paths['/orders/{orderId}']));
    expect((await run(SHOP_PATH, lost)).code).toBe(1);
    // On the new side the target selects nothing: a warning, not a failure.
    expect(await run(SHOP_PATH, lost, '--overlay', dropPath)).toMatchObject({
      code: 0,
      err: `diff: warning: ${dropPath}: action 1 ($.paths['/orders/{orderId}']) selects nothing in the document; skipped\n`,
    });
  });

  it('--old-overlay restores, on the old side, what the new document no longer has: compatible', async () => {
    expect(await run(SHOP_PATH, noTotal, '--old-overlay', overlay('old-no-total.json', [
      { target: '$.components.schemas.Order.properties.total', remove: true },
      { target: '$.components.schemas.Order.required', remove: true },
      { target: '$.components.schemas.Order', update: { required: ['id', 'status'] } },
    ]))).toMatchObject({ code: 0, err: '' });
  });

  it('warns on stderr about a target that selects nothing, and still compares', async () => {
    const nothing = overlay('nothing.yaml', [{ target: "$.paths['/nowhere']", update: { 'x-a': 1 } }]);
    expect(await run(SHOP_PATH, SHOP_PATH, '--new-overlay', nothing)).toMatchObject({
      code: 0,
      err: `diff: warning: ${nothing}: action 1 ($.paths['/nowhere']) selects nothing in the document; skipped\n`,
    });
  });

  it('exits 2 on a malformed overlay, in one line', async () => {
    const bad = write('bad-overlay.yaml', { overlay: '2.0.0', actions: [] });
    expect(await run(SHOP_PATH, SHOP_PATH, '--overlay', bad)).toMatchObject({ code: 2, out: '', err: `diff: ${bad}: is not an Overlay 1.0.x document (overlay: "2.0.0")\n` });
  });
});
