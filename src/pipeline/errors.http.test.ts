import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../contract/handler.js';
import { handlers } from '../handlers/index.js';
import { ALLOWED_ORIGIN, FOREIGN_ORIGIN, startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';

/** A request that ends in one error class, and the exact answer expected. */
interface ErrorCase {
  name: string;
  send: (origin: string) => Promise<Response>;
  status: number;
  body: Record<string, unknown>;
  /** Response headers expected; null for one that must be absent. */
  headers?: Record<string, string | null>;
}

const TASK = '/api/tasks/3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01';
let server: TestServer;
let broken: TestServer;
let unserialisable: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  const failing: Handlers = {
    ...handlers,
    getTask: async () => {
      throw new Error('relation "tasks" does not exist at SELECT secret FROM tasks');
    },
    listTasks: async () => ({ status: 200, body: { items: [{ id: 'not-a-task' }], next_cursor: null } }) as never,
  };
  broken = await startTestServer({ handlers: failing });
  // In production responses are not validated, so only serialising the body can fail.
  unserialisable = await startTestServer({
    env: { NODE_ENV: 'production', CORS_ORIGINS: ALLOWED_ORIGIN },
    handlers: { ...handlers, createTask: async () => ({ status: 201, body: { id: 1n }, headers: { Location: '/api/tasks/1' } }) as never },
  });
  token = await mintToken('user-errors');
});
afterAll(async () => {
  await server.close();
  await broken.close();
  await unserialisable.close();
});

const jsonPost = (body: string, origin: string, auth = true, contentType = 'application/json') =>
  server.request('/api/tasks', {
    method: 'POST',
    headers: { origin, 'content-type': contentType, ...(auth ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });

const cases: ErrorCase[] = [
  {
    name: '400 validation_error lists every violation',
    send: (origin) => jsonPost(JSON.stringify({ title: '', colour: 'red' }), origin),
    status: 400,
    body: {
      detail: 'The request does not match the API contract.',
      status_code: 400,
      error_type: 'validation_error',
      errors: [
        { location: 'body', path: '/colour', message: 'must NOT have additional properties' },
        { location: 'body', path: '/title', message: 'must NOT have fewer than 1 characters' },
        { location: 'body', path: '/title', message: 'must match pattern "\\S"' },
      ],
    },
  },
  {
    name: '400 validation_error for a bad path parameter and query together',
    send: (origin) => server.request('/api/tasks?limit=0&completed=maybe', { headers: { origin, authorization: `Bearer ${token}` } }),
    status: 400,
    body: {
      detail: 'The request does not match the API contract.',
      status_code: 400,
      error_type: 'validation_error',
      errors: [
        { location: 'query', path: 'completed', message: 'must be boolean' },
        { location: 'query', path: 'limit', message: 'must be >= 1' },
      ],
    },
  },
  {
    name: '400 invalid_json',
    send: (origin) => jsonPost('{"title": ', origin),
    status: 400,
    body: { detail: 'The request body is not valid JSON.', status_code: 400, error_type: 'invalid_json' },
  },
  {
    name: '401 without a token, whatever the body',
    send: (origin) => jsonPost('{"title": ', origin, false),
    status: 401,
    body: { detail: 'Bearer token required.', status_code: 401, error_type: 'authentication_error' },
    headers: { 'www-authenticate': 'Bearer realm="api"' },
  },
  {
    name: '401 for a token signed with another secret',
    send: async (origin) =>
      server.request(TASK, { headers: { origin, authorization: `Bearer ${await mintToken('u', {}, 'x'.repeat(40))}` } }),
    status: 401,
    body: { detail: 'The bearer token was rejected: bad signature.', status_code: 401, error_type: 'authentication_error' },
    headers: { 'www-authenticate': 'Bearer realm="api", error="invalid_token", error_description="bad signature"' },
  },
  {
    name: '404 for a path the spec does not declare',
    send: (origin) => server.request('/api/nothing-here', { headers: { origin } }),
    status: 404,
    body: { detail: 'No resource at this path.', status_code: 404, error_type: 'not_found' },
  },
  {
    name: '404 for a task that does not exist',
    send: (origin) => server.request(TASK, { headers: { origin, authorization: `Bearer ${token}` } }),
    status: 404,
    body: { detail: 'Task not found.', status_code: 404, error_type: 'not_found' },
  },
  {
    name: '405 with Allow for an undeclared method on a declared path',
    send: (origin) => server.request('/api/tasks', { method: 'DELETE', headers: { origin } }),
    status: 405,
    body: { detail: 'DELETE is not declared for this path. Allowed: GET, POST, OPTIONS.', status_code: 405, error_type: 'method_not_allowed' },
    headers: { allow: 'GET, POST, OPTIONS' },
  },
  {
    name: '413 for a body over 1 MB',
    send: (origin) => jsonPost(JSON.stringify({ title: 'x', description: 'y'.repeat(1_100_000) }), origin),
    status: 413,
    body: { detail: 'The request body is larger than 1 MB.', status_code: 413, error_type: 'payload_too_large' },
  },
  {
    name: '415 for a content type the operation does not declare',
    send: (origin) => jsonPost('title=x', origin, true, 'application/x-www-form-urlencoded'),
    status: 415,
    body: { detail: 'Content-Type must be one of: application/json.', status_code: 415, error_type: 'unsupported_media_type' },
  },
  {
    name: '500 for an unexpected exception, with nothing of it in the body',
    send: (origin) => broken.request(TASK, { headers: { origin, authorization: `Bearer ${token}` } }),
    status: 500,
    body: {
      detail: 'An unexpected error occurred. Quote the request id when reporting it.',
      status_code: 500,
      error_type: 'internal_error',
    },
  },
  {
    name: '500 for a response that breaks the contract (outside production)',
    send: (origin) => broken.request('/api/tasks', { headers: { origin, authorization: `Bearer ${token}` } }),
    status: 500,
    body: {
      detail: 'An unexpected error occurred. Quote the request id when reporting it.',
      status_code: 500,
      error_type: 'internal_error',
    },
  },
  {
    name: '500 for a body that cannot be serialised, with none of the success headers',
    send: (origin) =>
      unserialisable.request('/api/tasks', {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ title: 'x' }),
      }),
    status: 500,
    body: {
      detail: 'An unexpected error occurred. Quote the request id when reporting it.',
      status_code: 500,
      error_type: 'internal_error',
    },
    headers: { location: null },
  },
];

describe.each(cases)('$name', ({ send, status, body, headers = {} }) => {
  it('answers the uniform JSON body with CORS for an allowed Origin', async () => {
    const res = await send(ALLOWED_ORIGIN);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ ...body, request_id: res.headers.get('x-request-id') });
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('vary')).toMatch(/Origin/);
    for (const [name, value] of Object.entries(headers)) expect(res.headers.get(name)).toBe(value);
  });

  it('answers the same without any CORS header for a foreign Origin', async () => {
    const res = await send(FOREIGN_ORIGIN);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ ...body, request_id: res.headers.get('x-request-id') });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
