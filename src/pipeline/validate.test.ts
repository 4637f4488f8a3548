import { beforeAll, describe, expect, it } from 'vitest';
import { inProcessApp, type InProcessApp } from '../testing/in-process.js';
import { mintToken } from '../testing/tokens.js';

let server: InProcessApp;
let token: string;

beforeAll(async () => {
  server = await inProcessApp();
  token = await mintToken('user-validate');
});

const errorsOf = async (res: Response) => {
  const body = await res.json();
  expect(body.status_code).toBe(res.status);
  return body.errors;
};
const post = (body: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  server.request('/api/tasks', { method: 'POST', token, headers, body });

describe('parameters', () => {
  it('rejects a query parameter the operation does not declare', async () => {
    const res = await server.request('/api/tasks?colour=red', { token });
    expect(res.status).toBe(400);
    expect(await errorsOf(res)).toEqual([{ location: 'query', path: 'colour', message: 'is not a declared query parameter' }]);
  });

  it('names a path parameter that is not a uuid, however long', async () => {
    for (const id of ['not-a-uuid', 'x'.repeat(300)]) {
      const res = await server.request(`/api/tasks/${id}`, { token });
      expect(res.status).toBe(400);
      expect(await errorsOf(res)).toEqual([{ location: 'path', path: 'taskId', message: 'must match format "uuid"' }]);
    }
  });

  it('coerces query strings to their declared types and says when they cannot be', async () => {
    expect((await server.request('/api/tasks?limit=5&completed=false', { token })).status).toBe(200);
    const res = await server.request('/api/tasks?limit=many', { token });
    expect(await errorsOf(res)).toEqual([{ location: 'query', path: 'limit', message: 'must be integer' }]);
  });
});

describe('paths', () => {
  it('answers 404 for a trailing slash and 400 for a malformed percent-encoding', async () => {
    expect((await server.request('/api/tasks/', { token })).status).toBe(404);
    const res = await server.request('/api/tasks/%zz', { token });
    expect(res.status).toBe(400);
    expect(await errorsOf(res)).toEqual([{ location: 'path', path: '', message: 'is not a valid URL encoding' }]);
  });
});

describe('bodies', () => {
  it('requires a body where the operation declares one required', async () => {
    const res = await post(undefined, {});
    expect(res.status).toBe(400);
    expect(await errorsOf(res)).toEqual([{ location: 'body', path: '', message: 'a request body is required' }]);
  });

  it('accepts a charset parameter on application/json', async () => {
    const res = await post(JSON.stringify({ title: 'with charset' }), { 'content-type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(201);
  });

  it('answers 415 for a charset the JSON parser cannot read', async () => {
    const res = await post(JSON.stringify({ title: 'latin' }), { 'content-type': 'application/json; charset=latin1' });
    expect(res.status).toBe(415);
    expect((await res.json()).error_type).toBe('unsupported_media_type');
  });

  it('rejects JSON that is not an object, and a missing required property', async () => {
    expect(await errorsOf(await post('[]'))).toEqual([{ location: 'body', path: '', message: 'must be object' }]);
    expect(await errorsOf(await post('{"description":"no title"}'))).toEqual([
      { location: 'body', path: '/title', message: "must have required property 'title'" },
    ]);
  });

  it('rejects a title of only white space and keeps nothing', async () => {
    const res = await post(JSON.stringify({ title: '   ' }));
    expect(await errorsOf(res)).toEqual([{ location: 'body', path: '/title', message: 'must match pattern "\\S"' }]);
    const page = await (await server.request('/api/tasks', { token })).json();
    expect(page.items.map((t: { title: string }) => t.title)).not.toContain('   ');
  });
});
