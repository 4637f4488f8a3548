import { afterAll, describe, expect, it } from 'vitest';
import { openApi3 } from '../contract/openapi-version.js';
import type { OpenApiDocument } from '../contract/spec.js';
import { startMock, type TestMock } from '../testing/mock-server.js';
import { createMockApp } from './server.js';
import { loadConfig } from '../config/index.js';
import { createLogger } from '../logger.js';
import { createTokenVerifier } from '../auth/verifier.js';

const mocks: TestMock[] = [];
afterAll(() => Promise.all(mocks.map((m) => m.close())));
const serve = async (document: OpenApiDocument, options?: Parameters<typeof startMock>[1]) => {
  const mock = await startMock(document, options);
  mocks.push(mock);
  return mock;
};
const doc = (paths: Record<string, unknown>, components: Record<string, unknown> = {}): OpenApiDocument => ({
  openapi: '3.0.3',
  info: { title: 'fixture', version: '1' },
  paths,
  components,
});
const json = (schema: unknown, extra: Record<string, unknown> = {}) => ({ content: { 'application/json': { schema, ...extra } } });

describe('routing is path first', () => {
  const document = doc({
    '/x/configurations/{configuration_id}': {
      get: { operationId: 'getConfiguration', parameters: [{ name: 'configuration_id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '200': { description: 'ok', ...json({ type: 'object' }) } } },
      delete: { operationId: 'deleteConfiguration', parameters: [{ name: 'configuration_id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '204': { description: 'gone' } } },
    },
    '/x/configurations/defaults': { get: { operationId: 'getDefaults', responses: { '200': { description: 'ok', ...json({ type: 'object' }) } } } },
  });

  it('answers a method the concrete path does not declare with 405 and only that path item\'s methods', async () => {
    const mock = await serve(document);
    const res = await mock.request('/x/configurations/defaults', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, OPTIONS');
    expect(await res.json()).toMatchObject({ status_code: 405, error_type: 'method_not_allowed' });
    expect((await mock.request('/x/configurations/7', { method: 'DELETE' })).status).toBe(204);
  });
});

describe('documents people publish', () => {
  it('serves a path item that is itself a $ref', async () => {
    const mock = await serve({
      openapi: '3.1.0',
      info: { title: 'fixture', version: '1' },
      paths: { '/pets': { $ref: '#/components/pathItems/Pets' } },
      components: { pathItems: { Pets: { get: { operationId: 'listPets', responses: { '200': { description: 'ok', ...json({ type: 'array', items: { type: 'string' } }, { example: ['rex'] }) } } } } } },
    });
    const res = await mock.request('/pets');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(['rex']);
  });

  it('converts Swagger 2.0 at load: its security definitions and parameters are enforced', async () => {
    const mock = await serve(
      await openApi3({
        swagger: '2.0',
        info: { title: 'petstore', version: '1' },
        basePath: '/v1',
        securityDefinitions: { api_key: { type: 'apiKey', name: 'api_key', in: 'header' } },
        paths: {
          '/pets/{id}': {
            get: {
              operationId: 'getPet',
              security: [{ api_key: [] }],
              parameters: [{ name: 'id', in: 'path', required: true, type: 'integer' }],
              produces: ['application/json'],
              responses: { '200': { description: 'ok', schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } } },
            },
          },
        },
      }),
    );
    expect((await mock.request('/pets/1')).status).toBe(401);
    expect((await mock.request('/pets/x', { headers: { api_key: 'k' } })).status).toBe(400);
    const res = await mock.request('/pets/1', { headers: { api_key: 'k' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 18968 });
  });

  it('refuses what is neither OpenAPI 3.x nor Swagger 2.0 with one line', async () => {
    await expect(openApi3({ info: {} })).rejects.toThrow(/^Not an OpenAPI 3.0\/3.1 or Swagger 2.0 document/);
  });

  it('with --strict refuses to start on a schema it would otherwise skip; without, warns once and serves', async () => {
    const broken = doc({ '/t': { get: { operationId: 't', parameters: [{ name: 'q', in: 'query', schema: { type: 'string', pattern: '(' } }], responses: { '200': { description: 'ok', ...json({ type: 'string' }) } } } } });
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' });
    const log = createLogger('silent');
    const verifier = await createTokenVerifier(config.jwt, log);
    expect(() => createMockApp({ config, document: broken, log, verifier, strict: true })).toThrow(/Cannot compile the schema of t at \/paths\/~1t\/get\/parameters\/0\/schema/);
    const mock = await serve(broken);
    expect(mock.warnings).toEqual([expect.stringMatching(/^schema check skipped: t at \/paths\/~1t\/get\/parameters\/0\/schema: .*Invalid regular expression/)]);
    expect((await mock.request('/t?q=anything')).status).toBe(200);
  });
});

describe('mock answers', () => {
  it('never answers a 1xx as the final status, and a declared error without content gets the uniform body', async () => {
    const mock = await serve(
      doc({
        '/continue': { get: { operationId: 'onlyContinue', responses: { '100': { description: 'go on' } } } },
        '/missing': { get: { operationId: 'gone', responses: { '100': { description: 'go on' }, '404': { description: 'not here' } } } },
      }),
    );
    const first = await mock.request('/continue');
    expect(first.status).toBe(200);
    const gone = await mock.request('/missing');
    expect(gone.status).toBe(404);
    expect(gone.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(await gone.json()).toEqual({ detail: 'The mock answers 404, as the document declares.', status_code: 404, error_type: 'not_found', request_id: expect.any(String) });
  });

  it('replaces an example that breaks its schema with a generated, schema-valid body', async () => {
    const schema = {
      type: 'object',
      required: ['website', 'display_name', 'id'],
      properties: { website: { type: 'string', example: [['example.com']] }, display_name: { type: 'string', example: 20.04 }, id: { type: 'integer', minimum: 1 } },
    };
    const mock = await serve(doc({ '/me': { get: { operationId: 'me', responses: { '200': { description: 'ok', ...json(schema, { example: { website: 1 } }) } } } } }));
    const res = await mock.request('/me');
    // Generated values look like their property names (seed 1, so the same every run).
    expect(await res.json()).toEqual({ website: 'https://example.com/delta/318', display_name: 'Radia Ritchie', id: 78193 });
  });

  it('fills in required properties of untyped schemas and answers a oneOf with one branch', async () => {
    const schema = { required: ['name'], properties: { name: { type: 'string' }, kind: { oneOf: [{ type: 'integer' }, { type: 'string', format: 'email' }] } } };
    const mock = await serve(doc({ '/t': { get: { operationId: 't', responses: { '200': { description: 'ok', ...json(schema) } } } } }));
    expect(await (await mock.request('/t')).json()).toEqual({ name: 'Alan Hamilton', kind: 79 });
  });

  it('answers an operation whose schemas all reference each other (no exponential expansion)', async () => {
    const names = Array.from({ length: 14 }, (_, i) => `S${i}`);
    const schemas = Object.fromEntries(
      names.map((name) => [name, { type: 'object', required: names.filter((n) => n !== name).map((n) => n.toLowerCase()), properties: Object.fromEntries(names.filter((n) => n !== name).map((n) => [n.toLowerCase(), { $ref: `#/components/schemas/${n}` }])) }]),
    );
    const mock = await serve(doc({ '/tree': { get: { operationId: 'tree', responses: { '200': { description: 'ok', ...json({ $ref: '#/components/schemas/S0' }) } } } } }, { schemas }));
    const res = await mock.request('/tree');
    expect(res.status).toBe(200);
    expect(Object.keys(await res.json())).toHaveLength(13);
  });

  it("answers its own pipeline errors in the uniform body even where the document declares another error shape", async () => {
    const mock = await serve(
      doc({
        '/t': {
          get: {
            operationId: 't',
            parameters: [{ name: 'n', in: 'query', schema: { type: 'integer' } }],
            responses: { '200': { description: 'ok', ...json({ type: 'string' }) }, '400': { description: 'bad', content: { 'application/problem+json': { schema: { type: 'object', properties: { title: { type: 'string' } } } } } } },
          },
        },
      }),
    );
    const res = await mock.request('/t?n=0x10');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ status_code: 400, error_type: 'validation_error', errors: [{ location: 'query', path: 'n', message: 'must be integer' }] });
  });
});

describe('npm run mock --strict', () => {
  it('exits 1 with one line naming the operation, the location and the reason', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { spawnSync } = await import('node:child_process');
    const file = join(mkdtempSync(join(tmpdir(), 'mock-strict-')), 'broken.json');
    writeFileSync(file, JSON.stringify(doc({ '/t': { get: { operationId: 't', parameters: [{ name: 'q', in: 'query', schema: { type: 'string', pattern: '(' } }], responses: { '200': { description: 'ok' } } } } })));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/mock/cli.ts', file, '--strict', '--port', '0'], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: { ...process.env, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^mock: .*broken\.json: Cannot compile the schema of t at \/paths\/~1t\/get\/parameters\/0\/schema: .*Invalid regular expression/)]);
  }, 40_000);
});
