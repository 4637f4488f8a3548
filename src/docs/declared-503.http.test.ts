/**
 * The Tasks API's published contract declares 503 exactly where the API can answer it: with its
 * database down, every operation is called as a client would call it, and an operation answers 503
 * if and only if GET /openapi.json declares 503 for it, in the body and headers declared there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../contract/spec.js';
import type { Database } from '../db/database.js';
import { openPg } from '../db/pg.js';
import { declaredAnswerProblems } from '../testing/declared-answer.js';
import { refusedPort, type Outage } from '../testing/outage.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';

const TASK = '/api/tasks/3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01';
const json = { 'content-type': 'application/json' };

/** One request per operation of openapi.yaml, as a client sends it. */
const REQUESTS: Readonly<Record<string, { path: string; method?: string; auth?: boolean; body?: unknown }>> = {
  getLiveness: { path: '/livez' },
  getHealth: { path: '/health' },
  getDocs: { path: '/docs' },
  getOpenApiJson: { path: '/openapi.json' },
  getOpenApiYaml: { path: '/openapi.yaml' },
  listTasks: { path: '/api/tasks', auth: true },
  createTask: { path: '/api/tasks', method: 'POST', auth: true, body: { title: 'While the database is down' } },
  getTask: { path: TASK, auth: true },
  updateTask: { path: TASK, method: 'PATCH', auth: true, body: { is_completed: true } },
  deleteTask: { path: TASK, method: 'DELETE', auth: true },
};

let outage: Outage;
let db: Database;
let server: TestServer;
let published: OpenApiDocument;
let token: string;

beforeAll(async () => {
  outage = await refusedPort();
  db = openPg({ url: outage.url, connectTimeoutMs: 2000 });
  server = await startTestServer({ db });
  token = await mintToken('user-503');
  const res = await server.request('/openapi.json');
  expect(res.status).toBe(200);
  published = await res.json();
});
afterAll(async () => {
  await server?.close();
  await db?.close();
  await outage?.close();
});

const operations = () =>
  Object.entries<Record<string, any>>(published.paths).flatMap(([path, item]) =>
    Object.entries<Record<string, any>>(item)
      .filter(([, operation]) => typeof operation?.operationId === 'string')
      .map(([method, operation]) => ({ path, method, operationId: operation.operationId as string, declares503: '503' in (operation.responses ?? {}) })),
  );

describe('the Tasks API with its database down', () => {
  it('publishes no 503 on what it answers without the database, and 503 on every operation that queries it', () => {
    const declaring = operations().filter((op) => op.declares503).map((op) => op.operationId);
    expect(declaring).toEqual(['getHealth', 'listTasks', 'createTask', 'getTask', 'updateTask', 'deleteTask']);
    for (const path of ['/livez', '/docs', '/openapi.json', '/openapi.yaml']) expect(Object.keys(published.paths[path].get.responses)).not.toContain('503');
  });

  it('answers 503 on exactly the operations that declare it, each in the body and headers declared for it', async () => {
    const problems: string[] = [];
    const answered: Record<string, number> = {};
    for (const op of operations()) {
      const request = REQUESTS[op.operationId];
      if (request === undefined) {
        problems.push(`${op.operationId}: no request in this test; add one`);
        continue;
      }
      const res = await server.request(request.path, {
        method: request.method ?? 'GET',
        ...(request.auth ? { token } : {}),
        ...(request.body === undefined ? {} : { headers: json, body: JSON.stringify(request.body) }),
      });
      const body = await res.text();
      answered[op.operationId] = res.status;
      if ((res.status === 503) !== op.declares503) problems.push(`${op.operationId}: answered ${res.status}, ${op.declares503 ? 'declares' : 'does not declare'} 503`);
      problems.push(...declaredAnswerProblems(published, op.operationId, res, body));
      if (res.status === 503) expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    }
    expect(problems).toEqual([]);
    expect(answered).toEqual({
      getLiveness: 200, getHealth: 503, getDocs: 200, getOpenApiJson: 200, getOpenApiYaml: 200,
      listTasks: 503, createTask: 503, getTask: 503, updateTask: 503, deleteTask: 503,
    });
  });

  it("answers the declared Error on a task operation: the database's 503 with Retry-After, and /health's degraded body", async () => {
    const res = await server.request('/api/tasks', { token });
    expect([res.status, res.headers.get('retry-after'), await res.json()]).toEqual([
      503,
      '5',
      { detail: 'The database is unavailable. Try again shortly.', status_code: 503, error_type: 'service_unavailable', request_id: res.headers.get('x-request-id') },
    ]);
    const health = await server.request('/health');
    expect([health.status, health.headers.get('retry-after'), await health.json()]).toEqual([503, '5', { status: 'degraded', database: 'down', version: '0.1.0', pool: expect.objectContaining({ max: 10 }) }]);
  });
});
