import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, startTestServer, type TestServer } from '../testing/server.js';

const root = new URL('../../', import.meta.url);
const specText = readFileSync(new URL('openapi.yaml', root), 'utf8');
const docsPage = readFileSync(new URL('docs/api.html', root), 'utf8');
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('the contract is published without credentials, with CORS', () => {
  it('GET /openapi.yaml answers the file as the repository holds it', async () => {
    const res = await server.request('/openapi.yaml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await res.text()).toBe(specText);
  });

  it('GET /openapi.json answers the same document as JSON', async () => {
    const res = await server.request('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await res.json()).toEqual(parse(specText));
  });

  it('GET /docs answers the self-contained Redoc page built by npm run docs', async () => {
    const res = await server.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const html = await res.text();
    expect(html).toBe(docsPage);
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
  });

  it('an undeclared query parameter on /docs is the declared 400 validation_error', async () => {
    const res = await server.request('/docs?theme=dark');
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const body = await res.json();
    expect(body).toEqual({
      detail: 'The request does not match the API contract.',
      status_code: 400,
      error_type: 'validation_error',
      request_id: res.headers.get('x-request-id'),
      errors: [{ location: 'query', path: 'theme', message: 'is not a declared query parameter' }],
    });
  });

  it('POST /openapi.json is 405 with the declared method in Allow', async () => {
    const res = await server.request('/openapi.json', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, OPTIONS');
  });
});
