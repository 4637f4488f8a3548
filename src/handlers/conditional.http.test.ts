import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await mintToken('user-conditional');
});
afterAll(() => server.close());

const create = async (title: string) =>
  (await server.request('/api/tasks', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) })).json();
const read = (id: string, headers: Record<string, string> = {}) => server.request(`/api/tasks/${id}`, { token, headers });
const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  server.request(`/api/tasks/${id}`, { method: 'PATCH', token, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const remove = (id: string, headers: Record<string, string> = {}) => server.request(`/api/tasks/${id}`, { method: 'DELETE', token, headers });
const STRONG = /^"[A-Za-z0-9_-]{27}"$/;

describe('ETag and If-None-Match on GET /api/tasks/{taskId}', () => {
  it('sends a strong ETag that a browser on another origin may read', async () => {
    const task = await create('Tagged');
    const res = await read(task.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(STRONG);
    expect(res.headers.get('access-control-expose-headers')?.split(', ')).toContain('ETag');
  });

  it('answers 304 with the ETag and no body when If-None-Match names the current ETag', async () => {
    const task = await create('Unchanged');
    const etag = (await read(task.id)).headers.get('etag')!;
    const res = await read(task.id, { 'if-none-match': `"stale", ${etag}` });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(etag);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(await res.text()).toBe('');
  });

  it('answers 200 with the new body once the task changed', async () => {
    const task = await create('Will change');
    const etag = (await read(task.id)).headers.get('etag')!;
    const changed = await patch(task.id, { title: 'Changed' });
    const res = await read(task.id, { 'if-none-match': etag });
    expect(res.status).toBe(200);
    expect((await res.json()).title).toBe('Changed');
    expect(res.headers.get('etag')).toBe(changed.headers.get('etag'));
    expect(res.headers.get('etag')).not.toBe(etag);
  });

  it('refuses a malformed If-None-Match with a 400 naming the header', async () => {
    const task = await create('Malformed');
    const res = await read(task.id, { 'if-none-match': 'not-quoted' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error_type).toBe('validation_error');
    expect(body.errors).toEqual([expect.objectContaining({ location: 'header', path: 'if-none-match' })]);
  });
});

describe('If-Match on PATCH and DELETE', () => {
  it('PATCH with the current ETag changes the task and answers its new ETag', async () => {
    const task = await create('Edit me');
    const etag = (await read(task.id)).headers.get('etag')!;
    const res = await patch(task.id, { is_completed: true }, { 'if-match': etag });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.is_completed).toBe(true);
    expect(res.headers.get('etag')).toBe((await read(task.id)).headers.get('etag'));
  });

  it('PATCH with a stale ETag is 412 precondition_failed and changes nothing', async () => {
    const task = await create('Stale edit');
    const before = await read(task.id);
    const etag = before.headers.get('etag')!;
    await patch(task.id, { title: 'Someone else' }, { 'if-match': etag });
    const res = await patch(task.id, { title: 'Mine' }, { 'if-match': etag });
    expect(res.status).toBe(412);
    expect(await res.json()).toEqual({
      detail: 'The task has changed since it was read (If-Match does not match its current ETag).',
      status_code: 412,
      error_type: 'precondition_failed',
      request_id: res.headers.get('x-request-id'),
    });
    expect((await (await read(task.id)).json()).title).toBe('Someone else');
  });

  it('a weak tag never satisfies If-Match, and * does', async () => {
    const task = await create('Weak');
    const etag = (await read(task.id)).headers.get('etag')!;
    expect((await patch(task.id, { title: 'Weak 2' }, { 'if-match': `W/${etag}` })).status).toBe(412);
    expect((await patch(task.id, { title: 'Star' }, { 'if-match': '*' })).status).toBe(200);
  });

  it('of two editors sending the same ETag at once, exactly one wins and the other gets 412', async () => {
    const task = await create('Race');
    const etag = (await read(task.id)).headers.get('etag')!;
    const answers = await Promise.all(['first', 'second', 'third'].map((title) => patch(task.id, { title }, { 'if-match': etag })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412]);
    const winner = await answers.find((r) => r.status === 200)!.json();
    expect((await (await read(task.id)).json()).title).toBe(winner.title);
  });

  it('DELETE with a stale ETag is 412 and the task stays; with the current one it is 204', async () => {
    const task = await create('Delete me');
    const stale = (await read(task.id)).headers.get('etag')!;
    const fresh = (await patch(task.id, { title: 'Delete me later' })).headers.get('etag')!;
    const refused = await remove(task.id, { 'if-match': stale });
    expect(refused.status).toBe(412);
    expect((await refused.json()).error_type).toBe('precondition_failed');
    expect((await read(task.id)).status).toBe(200);
    expect((await remove(task.id, { 'if-match': fresh })).status).toBe(204);
    expect((await read(task.id)).status).toBe(404);
  });

  it('a missing task is 404 whatever If-Match says (preconditions apply only to what exists)', async () => {
    const res = await patch('3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01', { title: 'x' }, { 'if-match': '"anything"' });
    expect(res.status).toBe(404);
  });
});
