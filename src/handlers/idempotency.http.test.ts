import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const create = (token: string, key: string | undefined, body: unknown = { title: 'Pay the rent' }) =>
  server.request('/api/tasks', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify(body),
  });
const titles = async (token: string) => ((await (await server.request('/api/tasks?limit=100', { token })).json()).items as { title: string }[]).map((t) => t.title);

describe('Idempotency-Key on POST /api/tasks', () => {
  it('creates once; a retry with the same key and body gets the same answer with Idempotent-Replayed: true', async () => {
    const token = await mintToken(`idem-${randomUUID()}`);
    const key = `"${randomUUID()}"`;
    const first = await create(token, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const task = await first.json();
    const retry = await create(token, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(`/api/tasks/${task.id}`);
    expect(retry.headers.get('access-control-expose-headers')?.split(', ')).toContain('Idempotent-Replayed');
    expect(await retry.json()).toEqual(task);
    expect(await titles(token)).toEqual(['Pay the rent']);
  });

  it('treats the quoted Structured Field form and the bare key as one key', async () => {
    const token = await mintToken(`idem-${randomUUID()}`);
    const key = randomUUID();
    expect((await create(token, `"${key}"`)).headers.get('idempotent-replayed')).toBeNull();
    expect((await create(token, key)).headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses the same key with a different body: 422 idempotency_key_reused, nothing created', async () => {
    const token = await mintToken(`idem-${randomUUID()}`);
    const key = randomUUID();
    await create(token, key);
    const res = await create(token, key, { title: 'Something else' });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      detail: 'This Idempotency-Key was already used with a different request body.',
      status_code: 422,
      error_type: 'idempotency_key_reused',
      request_id: res.headers.get('x-request-id'),
    });
    expect(await titles(token)).toEqual(['Pay the rent']);
  });

  it("scopes keys per caller: another user's same key and body create that user's own task", async () => {
    const [alice, bob] = await Promise.all([mintToken(`idem-a-${randomUUID()}`), mintToken(`idem-b-${randomUUID()}`)]);
    const key = randomUUID();
    const mine = await (await create(alice, key)).json();
    const theirs = await create(bob, key);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect((await theirs.json()).id).not.toBe(mine.id);
  });

  it('of concurrent requests with one key, exactly one creates; the others replay it or get 409 conflict', async () => {
    const token = await mintToken(`idem-${randomUUID()}`);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 6 }, () => create(token, key)));
    const created = answers.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
    expect(created).toHaveLength(1);
    for (const r of answers.filter((a) => a !== created[0])) {
      expect([r.status, r.status === 201 ? r.headers.get('idempotent-replayed') : (await r.json()).error_type]).toEqual(
        r.status === 201 ? [201, 'true'] : [409, 'conflict'],
      );
    }
    expect(await titles(token)).toEqual(['Pay the rent']);
  });

  it('refuses a key that is not a visible ASCII string with 400', async () => {
    const res = await create(await mintToken('idem-bad'), 'x'.repeat(300));
    expect(res.status).toBe(400);
    const { errors } = await res.json();
    expect(errors.length).toBeGreaterThan(0);
    for (const issue of errors) expect(issue).toMatchObject({ location: 'header', path: 'idempotency-key' });
  });
});
