import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi3 } from '../contract/openapi-version.js';
import type { OpenApiDocument } from '../contract/spec.js';
import { startMock, type TestMock } from '../testing/mock-server.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';

const modules = new URL('../../node_modules/', import.meta.url);
const readJson = (file: string) => JSON.parse(readFileSync(new URL(file, modules), 'utf8')) as OpenApiDocument;
const mocks: TestMock[] = [];
afterAll(() => Promise.all(mocks.map((m) => m.close())));
const serve = async (document: OpenApiDocument) => {
  const mock = await startMock(document);
  mocks.push(mock);
  return mock;
};

const pet = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer', minimum: 1 }, name: { type: 'string' } } };
const problem = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } };
const pets: OpenApiDocument = {
  openapi: '3.0.3',
  info: { title: 'pets', version: '1' },
  paths: {
    '/pets/{id}': {
      get: {
        operationId: 'getPet',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: pet, examples: { cat: { value: { id: 2, name: 'Fluffy' } }, dog: { value: { id: 1, name: 'Spot' } } } } } },
          '404': { description: 'missing', content: { 'application/json': { schema: problem, example: { message: 'No such pet.' } } } },
        },
      },
    },
    '/owners/{id}': {
      get: {
        operationId: 'getOwner',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', required: ['id', 'email', 'name'], properties: { id: { type: 'string', format: 'uuid' }, email: { type: 'string' }, name: { type: 'string' } } } } } } },
      },
    },
  },
};

describe('Prefer scenarios', () => {
  let mock: TestMock;
  beforeAll(async () => {
    mock = await serve(pets);
  });

  it('answers the first named example without Prefer, and the same body every time', async () => {
    const first = await mock.request('/pets/7');
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ id: 2, name: 'Fluffy' });
    expect(await (await mock.request('/pets/7')).json()).toEqual({ id: 2, name: 'Fluffy' });
  });

  it('Prefer: code=404 answers the declared 404 with its example', async () => {
    const res = await mock.request('/pets/7', { headers: { prefer: 'code=404' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'No such pet.' });
  });

  it('Prefer: code=418 (not declared) is refused with 400 in the uniform body naming the declared codes', async () => {
    const res = await mock.request('/pets/7', { headers: { prefer: 'code=418' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await res.json()).toEqual({
      detail: 'Prefer: code=418 is not declared by this operation. Declared: 200, 404.',
      status_code: 400,
      error_type: 'validation_error',
      request_id: res.headers.get('x-request-id'),
      errors: [{ location: 'header', path: 'Prefer', message: 'code=418 is not declared; declared: 200, 404' }],
    });
  });

  it('Prefer: example=dog answers that example; combined with code=200 too', async () => {
    expect(await (await mock.request('/pets/7', { headers: { prefer: 'example=dog' } })).json()).toEqual({ id: 1, name: 'Spot' });
    const combined = await mock.request('/pets/7', { headers: { prefer: 'code=200, example=dog' } });
    expect(combined.status).toBe(200);
    expect(await combined.json()).toEqual({ id: 1, name: 'Spot' });
  });

  it('Prefer: example=<unknown> is refused with 400 naming the examples there are', async () => {
    const res = await mock.request('/pets/7', { headers: { prefer: 'example=hamster' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ detail: 'Prefer: example=hamster is not declared by this operation. Declared: cat, dog.', error_type: 'validation_error' });
  });

  it('Prefer: dynamic=true generates a new schema-valid body per request, the same sequence in every run', async () => {
    const own = await serve(pets);
    const bodies = [];
    for (let i = 0; i < 2; i++) bodies.push(await (await own.request('/pets/7', { headers: { prefer: 'dynamic=true' } })).json());
    expect(bodies[0]).not.toEqual(bodies[1]);
    for (const body of bodies) expect(body).toEqual({ id: expect.any(Number), name: expect.any(String) });
    const again = await serve(pets);
    expect(await (await again.request('/pets/7', { headers: { prefer: 'dynamic=true' } })).json()).toEqual(bodies[0]);
  });

  it('lets a browser send Prefer: the preflight allows it', async () => {
    const res = await mock.request('/pets/7', { method: 'OPTIONS', headers: { 'access-control-request-method': 'GET', 'access-control-request-headers': 'prefer' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('access-control-allow-headers')?.split(', ')).toContain('Prefer');
  });

  it('generates plausible values by property name and format', async () => {
    const body = await (await mock.request('/owners/3')).json();
    expect(body.email).toMatch(/^[a-z.-]+@example\.com$/);
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z-]+$/);
  });
});

describe('generated values meet the pattern of real documents', () => {
  it("answers readme.json's createAPIKey with a token matching rdme_\\w+", async () => {
    const readme = await openApi3(readJson('@readme/oas-examples/3.1/json/readme.json'));
    const mock = await serve(readme);
    const res = await mock.request('/projects/me/apikeys', {
      method: 'POST',
      headers: { authorization: `Bearer ${await mintToken('u')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'ci' }),
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.data.token).toMatch(/rdme_\w+/);
  });
});

/** The raw response head of one request (fetch would merge or refuse duplicate headers). */
function rawHead(url: string, path: string, method: string, body: string): Promise<{ status: number; rawHeaders: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url + path, { method, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode!, rawHeaders: res.rawHeaders, body: text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

describe("GitHub's POST /markdown, whose document declares Content-Length", () => {
  it('is answered with exactly one Content-Length, the length of the body sent', async () => {
    const mock = await serve(readJson('@octokit/openapi/generated/api.github.com.json'));
    const res = await rawHead(mock.url, '/markdown', 'POST', JSON.stringify({ text: 'Hello **world**' }));
    expect(res.status).toBe(200);
    const lengths = res.rawHeaders.filter((_, i) => i % 2 === 0 && res.rawHeaders[i]!.toLowerCase() === 'content-length').length;
    expect(lengths).toBe(1);
    const value = res.rawHeaders[res.rawHeaders.findIndex((h) => h.toLowerCase() === 'content-length') + 1];
    expect(Number(value)).toBe(Buffer.byteLength(res.body));
    expect(res.body).toBe('<p>Hello <strong>world</strong></p>');
  }, 60_000);
});
