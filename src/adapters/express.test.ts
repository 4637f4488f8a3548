/**
 * specgateExpress inside an existing Express 5 app: the contract's operations behave exactly as on
 * the standalone server — CRUD, every error case with CORS, 404/405 inside the spec's paths — and
 * everything outside the contract is the app's own (its route, its body parser, its 404).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCases, type ErrorCase } from '../testing/error-cases.js';
import { closeWorld, openWorldResources, startWorld, type World, type WorldResources } from '../testing/error-world.js';
import { ALLOWED_ORIGIN, EXPRESS_OWN_PATH } from '../testing/server.js';

let resources: WorldResources;
let world: World;
let cases: ErrorCase[];

beforeAll(async () => {
  resources = await openWorldResources();
  world = await startWorld(resources, undefined, 'express');
  cases = errorCases(resources);
});
afterAll(async () => {
  await closeWorld(world);
  await resources.close();
});

const send = (c: ErrorCase) =>
  world[c.request.target].request(c.request.path, {
    method: c.request.method,
    headers: { ...c.request.headers, origin: ALLOWED_ORIGIN },
    ...(c.request.body === undefined ? {} : { body: c.request.body }),
  });

/** The one case whose path is outside the contract: inside Express it belongs to the app. */
const OUTSIDE = '404 not_found for a path the spec does not declare';

describe('the contract inside an Express app', () => {
  it('serves create, read, update, list and delete', async () => {
    const api = world.api;
    const token = resources.tokens.user;
    const created = await api.request('/api/tasks', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'via express' }) });
    expect(created.status).toBe(201);
    const task = await created.json();
    expect(created.headers.get('location')).toBe(`/api/tasks/${task.id}`);
    expect(created.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await (await api.request(`/api/tasks/${task.id}`, { token })).json()).toEqual(task);
    const patched = await api.request(`/api/tasks/${task.id}`, { method: 'PATCH', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ is_completed: true }) });
    expect({ status: patched.status, is_completed: (await patched.json()).is_completed }).toEqual({ status: 200, is_completed: true });
    const list = await (await api.request('/api/tasks', { token })).json();
    expect(list.items.map((t: { id: string }) => t.id)).toContain(task.id);
    expect((await api.request(`/api/tasks/${task.id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await api.request(`/api/tasks/${task.id}`, { token })).status).toBe(404);
  });

  it('answers every error case as the standalone server does, with CORS', async () => {
    for (const c of cases.filter((x) => x.name !== OUTSIDE)) {
      const res = await send(c);
      const body = await res.json();
      expect({ name: c.name, status: res.status, error_type: body.error_type, status_code: body.status_code }).toEqual({
        name: c.name,
        status: c.status,
        error_type: c.errorType,
        status_code: c.status,
      });
      expect(body.request_id).toBe(res.headers.get('x-request-id'));
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      for (const [name, pattern] of Object.entries(c.exposed)) expect(res.headers.get(name), `${c.name}: ${name}`).toMatch(pattern);
    }
  });

  it('answers preflights and 405s of the spec paths itself', async () => {
    const preflight = await world.api.request('/api/tasks', { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const put = await world.api.request('/api/tasks', { method: 'PUT', token: resources.tokens.user });
    expect({ status: put.status, allow: put.headers.get('allow') }).toEqual({ status: 405, allow: 'GET, POST, OPTIONS' });
  });
});

describe("the app's own routes", () => {
  it('still serve, with their own body parser', async () => {
    const get = await world.api.request(EXPRESS_OWN_PATH);
    expect({ status: get.status, body: await get.json() }).toEqual({ status: 200, body: { served_by: 'express' } });
    const post = await world.api.request(EXPRESS_OWN_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect({ status: post.status, body: await post.json() }).toEqual({ status: 201, body: { echo: { a: 1 } } });
  });

  it("get a path outside the contract: Express's own 404, not specgate's", async () => {
    const res = await send(cases.find((c) => c.name === OUTSIDE)!);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('x-request-id')).toBeNull();
    await res.arrayBuffer();
  });
});
