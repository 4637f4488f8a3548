/**
 * The fault suite, on the real PostgreSQL server through the project's driver (pg or Neon).
 * Outages are simulated with a TCP proxy this test controls in front of the shared server;
 * backends are killed with pg_terminate_backend on this file's own database only.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, withClient } from '../testing/database.js';
import { ALLOWED_ORIGIN, startTestServer, type TestServer } from '../testing/server.js';
import { startTcpProxy, type TcpProxy } from '../testing/tcp-proxy.js';
import { mintToken } from '../testing/tokens.js';

const UNAVAILABLE = { detail: 'The database is unavailable. Try again shortly.', status_code: 503, error_type: 'service_unavailable' };
const TIMED_OUT = { detail: 'The database did not answer in time. Try again shortly.', status_code: 503, error_type: 'service_unavailable' };

let token: string;
beforeAll(async () => {
  token = await mintToken('user-faults');
});

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Asserts the exact error a client sees: status, body, Retry-After and the CORS header. */
async function expectError(res: Response, body: object, retryAfter: string) {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe(retryAfter);
  expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await res.json()).toEqual({ ...body, request_id: res.headers.get('x-request-id') });
}

/** Polls until check() is true (what a client retrying after Retry-After would do). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(100);
  }
}

const titlesIn = async (res: Response) => ((await res.json()) as { items: { title: string }[] }).items.map((t) => t.title).sort();

describe('the database is down when the server starts', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let url: string;

  beforeAll(async () => {
    proxy = await startTcpProxy();
    await proxy.down();
    const database = await createTestDatabase({ migrate: false, port: proxy.port, env: { DB_CONNECT_RETRIES: '1' } });
    url = database.url!;
    server = await startTestServer({ database });
  });
  afterAll(async () => {
    await proxy.up();
    await server.close();
    await proxy.close();
  });

  it('starts anyway: /health (readiness) answers 503 degraded with Retry-After and CORS; /livez (liveness) 200', async () => {
    const res = await server.request('/health');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await res.json()).toEqual({ status: 'degraded', database: 'down', version: '0.1.0', pool: { max: 10, in_use: expect.any(Number), idle: expect.any(Number), waiting: 0 } });
    const live = await server.request('/livez');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok', version: '0.1.0' });
  });

  it('answers API calls 503 service_unavailable with Retry-After and CORS', async () => {
    await expectError(await server.request('/api/tasks', { token }), UNAVAILABLE, '5');
    await expectError(await server.request('/api/tasks', { ...json({ title: 'lost?' }), token }), UNAVAILABLE, '5');
  });

  it('recovers without a restart once the database is back: migrations applied, writes kept', async () => {
    await proxy.up();
    await eventually(async () => (await server.request('/health')).status === 200);
    const created = await server.request('/api/tasks', { ...json({ title: 'after recovery' }), token });
    expect(created.status).toBe(201);
    const rows = await withClient((c) => c.query('SELECT title FROM tasks'), url);
    expect(rows.rows).toEqual([{ title: 'after recovery' }]);
  });

  it('goes down again mid-run (503 with CORS) and comes back with nothing lost', async () => {
    await proxy.down();
    await expectError(await server.request('/api/tasks', { token }), UNAVAILABLE, '5');
    const health = await server.request('/health');
    expect(health.status).toBe(503);
    await proxy.up();
    await eventually(async () => (await server.request('/api/tasks', { token })).status === 200);
    expect(await titlesIn(await server.request('/api/tasks', { token }))).toEqual(['after recovery']);
  });
});

describe('a database that takes a moment to accept connections (a Neon cold start)', () => {
  let proxy: TcpProxy;
  let server: TestServer;

  beforeAll(async () => {
    proxy = await startTcpProxy();
    await proxy.down();
    const database = await createTestDatabase({ migrate: false, port: proxy.port, env: { DB_CONNECT_RETRIES: '4' } });
    server = await startTestServer({ database });
  });
  afterAll(async () => {
    await server.close();
    await proxy.close();
  });

  it('is waited for by the bounded connect retry: the first request succeeds instead of failing', async () => {
    const pending = server.request('/health');
    await sleep(250);
    await proxy.up();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up', version: '0.1.0', pool: { max: 10, in_use: expect.any(Number), idle: expect.any(Number), waiting: 0 } });
  });
});

describe('backends killed with pg_terminate_backend', () => {
  let server: TestServer;
  let name: string;

  beforeAll(async () => {
    const database = await createTestDatabase();
    name = database.name!;
    server = await startTestServer({ database });
  });
  afterAll(() => server.close());

  it('the pool drops the dead connections and the next requests succeed', async () => {
    expect((await server.request('/api/tasks', { ...json({ title: 'before the kill' }), token })).status).toBe(201);
    const killed = await withClient((c) =>
      c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]),
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    await eventually(async () => (await withClient((c) => c.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [name]))).rowCount === 0);
    const res = await server.request('/api/tasks', { token });
    expect(res.status).toBe(200);
    expect(await titlesIn(res)).toEqual(['before the kill']);
  });
});

describe('a query over the statement timeout', () => {
  let server: TestServer;
  let name: string;
  let url: string;
  let holder: pg.Client;

  beforeAll(async () => {
    const database = await createTestDatabase({ env: { DB_STATEMENT_TIMEOUT_MS: '300', DB_POOL_MAX: '1' } });
    name = database.name!;
    url = database.url!;
    server = await startTestServer({ database });
    holder = new pg.Client({ connectionString: url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    await server.close();
  });

  const appBackends = async () =>
    (
      await holder.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() ORDER BY pid', [name])
    ).rows.map((r) => r.pid);

  it('answers 503 with Retry-After and CORS, writes nothing, and the connection goes back to the pool healthy', async () => {
    expect((await server.request('/api/tasks', { token })).status).toBe(200);
    const before = await appBackends();
    expect(before).toHaveLength(1);

    await holder.query('BEGIN');
    await holder.query('LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE');
    await expectError(await server.request('/api/tasks', { token }), TIMED_OUT, '2');
    await expectError(await server.request('/api/tasks', { ...json({ title: 'timed out' }), token }), TIMED_OUT, '2');
    await holder.query('ROLLBACK');

    const res = await server.request('/api/tasks', { token });
    expect(res.status).toBe(200);
    expect(await titlesIn(res)).toEqual([]);
    expect(await appBackends()).toEqual(before);
  });
});

describe('every pooled connection busy behind a locked row (the database is up)', () => {
  const POOL_MAX = 3;
  const POOL_TIMEOUT_MS = 400;
  let server: TestServer;
  let holder: pg.Client;
  const lines: string[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase({ env: { DB_POOL_MAX: String(POOL_MAX), DB_POOL_TIMEOUT_MS: String(POOL_TIMEOUT_MS) } });
    server = await startTestServer({ database, env: { LOG_LEVEL: 'error' }, logTo: { write: (line: string) => void lines.push(line) } });
    holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.query('ROLLBACK').catch(() => {});
    await holder.end();
    await server.close();
  });

  it('answers an unrelated GET 503 "pool exhausted" within DB_POOL_TIMEOUT_MS, /health says busy with the pool use, /livez stays 200, and the waiting writes finish once the row is free', async () => {
    const created = await server.request('/api/tasks', { ...json({ title: 'contended' }), token });
    const { id } = (await created.json()) as { id: string };
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM tasks WHERE id = $1 FOR UPDATE', [id]);

    // POOL_MAX PATCHes take every connection and wait on the lock.
    const patches = Array.from({ length: POOL_MAX }, (_, i) =>
      server.request(`/api/tasks/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: `patch ${i}` }), token }),
    );
    await eventually(async () => {
      const health = (await (await server.request('/health')).json()) as { pool?: { in_use: number } };
      return health.pool?.in_use === POOL_MAX;
    });

    const other = await mintToken('user-unrelated');
    const started = Date.now();
    const res = await server.request('/api/tasks', { token: other });
    const waited = Date.now() - started;
    await expectError(res, { detail: 'Every database connection is busy (pool exhausted). Try again shortly.', status_code: 503, error_type: 'service_unavailable' }, '1');
    expect(waited).toBeGreaterThanOrEqual(POOL_TIMEOUT_MS - 50);
    expect(waited).toBeLessThan(POOL_TIMEOUT_MS + 3000);

    const health = await server.request('/health');
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'degraded', database: 'busy', version: '0.1.0', pool: { max: POOL_MAX, in_use: POOL_MAX, idle: 0, waiting: 0 } });
    expect((await server.request('/livez')).status).toBe(200);

    const logged = lines.map((l) => JSON.parse(l) as { msg: string; cause?: { code?: string } }).filter((l) => l.msg === 'request failed');
    expect(logged.map((l) => l.cause?.code)).toContain('pool_exhausted');
    expect(logged.map((l) => l.cause?.code)).not.toContain('database_unreachable');

    await holder.query('ROLLBACK');
    expect((await Promise.all(patches)).map((r) => r.status)).toEqual(Array(POOL_MAX).fill(200));
    const after = (await (await server.request('/health')).json()) as { pool: { in_use: number; waiting: number } };
    expect(after.pool).toMatchObject({ in_use: 0, waiting: 0 });
  });
});
