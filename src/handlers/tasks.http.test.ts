import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../testing/tokens.js';
import { startTestServer, type TestServer } from '../testing/server.js';

let server: TestServer;
let token: string;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

beforeAll(async () => {
  server = await startTestServer();
  token = await mintToken('user-crud');
});
afterAll(() => server.close());

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const create = async (body: unknown, as = token) => server.request('/api/tasks', { ...json(body), token: as });

describe('GET /health', () => {
  it('answers 200 ok with the database up and the API version, without a token', async () => {
    const res = await server.request('/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'up', version: '0.1.0' });
  });
});

describe('POST /api/tasks', () => {
  it('creates a task: 201, the task, and its Location', async () => {
    const res = await create({ title: 'Buy milk', description: 'semi-skimmed' });
    expect(res.status).toBe(201);
    const task = await res.json();
    expect(task).toEqual({
      id: expect.stringMatching(UUID),
      title: 'Buy milk',
      description: 'semi-skimmed',
      is_completed: false,
      created_at: expect.stringMatching(ISO),
      updated_at: task.created_at,
    });
    expect(res.headers.get('location')).toBe(`/api/tasks/${task.id}`);
  });

  it('stores a missing description as null', async () => {
    const task = await (await create({ title: 'No description' })).json();
    expect(task.description).toBeNull();
  });
});

describe('GET /api/tasks/{taskId}', () => {
  it('reads back what was created', async () => {
    const created = await (await create({ title: 'Read me' })).json();
    const res = await server.request(`/api/tasks/${created.id}`, { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(created);
  });

  it('answers 404 not_found for a task that does not exist', async () => {
    const res = await server.request('/api/tasks/3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01', { token });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      detail: 'Task not found.',
      status_code: 404,
      error_type: 'not_found',
      request_id: res.headers.get('x-request-id'),
    });
  });
});

describe('PATCH /api/tasks/{taskId}', () => {
  it('changes only the fields sent and moves updated_at forward', async () => {
    const created = await (await create({ title: 'Draft', description: 'keep me' })).json();
    await new Promise((r) => setTimeout(r, 5));
    const res = await server.request(`/api/tasks/${created.id}`, {
      method: 'PATCH',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ is_completed: true }),
    });
    expect(res.status).toBe(200);
    const updated = await res.json();
    expect(updated).toEqual({ ...created, is_completed: true, updated_at: expect.stringMatching(ISO) });
    expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(created.updated_at));
  });

  it('clears the description with null and renames', async () => {
    const created = await (await create({ title: 'Old', description: 'gone soon' })).json();
    const res = await server.request(`/api/tasks/${created.id}`, {
      method: 'PATCH',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'New', description: null }),
    });
    expect(await res.json()).toMatchObject({ id: created.id, title: 'New', description: null });
  });

  it('refuses an empty patch with 400 validation_error', async () => {
    const created = await (await create({ title: 'Untouched' })).json();
    const res = await server.request(`/api/tasks/${created.id}`, {
      method: 'PATCH',
      token,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error_type).toBe('validation_error');
    expect((await (await server.request(`/api/tasks/${created.id}`, { token })).json()).title).toBe('Untouched');
  });
});

describe('DELETE /api/tasks/{taskId}', () => {
  it('deletes: 204 with no body, then 404', async () => {
    const created = await (await create({ title: 'Delete me' })).json();
    const res = await server.request(`/api/tasks/${created.id}`, { method: 'DELETE', token });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await server.request(`/api/tasks/${created.id}`, { token })).status).toBe(404);
    expect((await server.request(`/api/tasks/${created.id}`, { method: 'DELETE', token })).status).toBe(404);
  });
});

describe('GET /api/tasks', () => {
  it('lists newest first, pages with next_cursor, and filters on completed', async () => {
    const lister = await mintToken('user-list');
    const titles = ['one', 'two', 'three', 'four', 'five'];
    const ids: string[] = [];
    for (const title of titles) ids.push((await (await create({ title }, lister)).json()).id);
    await server.request(`/api/tasks/${ids[1]}`, {
      method: 'PATCH',
      token: lister,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ is_completed: true }),
    });

    const first = await (await server.request('/api/tasks?limit=2', { token: lister })).json();
    expect(first.items.map((t: { title: string }) => t.title)).toEqual(['five', 'four']);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await (await server.request(`/api/tasks?limit=2&cursor=${first.next_cursor}`, { token: lister })).json();
    expect(second.items.map((t: { title: string }) => t.title)).toEqual(['three', 'two']);
    const third = await (await server.request(`/api/tasks?limit=2&cursor=${second.next_cursor}`, { token: lister })).json();
    expect(third).toEqual({ items: [expect.objectContaining({ title: 'one' })], next_cursor: null });

    const done = await (await server.request('/api/tasks?completed=true', { token: lister })).json();
    expect(done).toEqual({ items: [expect.objectContaining({ id: ids[1], is_completed: true })], next_cursor: null });
    const open = await (await server.request('/api/tasks?completed=false', { token: lister })).json();
    expect(open.items).toHaveLength(4);
  });

  it('defaults to 20 items a page', async () => {
    const many = await mintToken('user-many');
    for (let i = 0; i < 21; i++) await create({ title: `t${i}` }, many);
    const page = await (await server.request('/api/tasks', { token: many })).json();
    expect(page.items).toHaveLength(20);
    expect(page.next_cursor).not.toBeNull();
  });

  it('answers 400 on a cursor it did not issue', async () => {
    const res = await server.request('/api/tasks?cursor=not-a-cursor', { token });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error_type: 'validation_error',
      errors: [{ location: 'query', path: 'cursor', message: 'is not a cursor this API issued' }],
    });
  });
});

describe('isolation between two users', () => {
  it("answers 404 for every operation on another user's task and never lists it", async () => {
    const alice = await mintToken('alice');
    const bob = await mintToken('bob');
    const secret = await (await create({ title: "alice's secret" }, alice)).json();
    const path = `/api/tasks/${secret.id}`;
    const patch = { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'pwned' }) };

    for (const res of [
      await server.request(path, { token: bob }),
      await server.request(path, { ...patch, token: bob }),
      await server.request(path, { method: 'DELETE', token: bob }),
    ]) {
      expect(res.status).toBe(404);
      expect((await res.json()).detail).toBe('Task not found.');
    }
    expect((await (await server.request('/api/tasks', { token: bob })).json()).items).toEqual([]);
    expect(await (await server.request(path, { token: alice })).json()).toEqual(secret);
  });
});
