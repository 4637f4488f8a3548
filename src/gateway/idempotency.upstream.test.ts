/**
 * Idempotency-Key on operations sent upstream, over HTTP against a real upstream
 * (src/testing/idempotent-upstream.ts), with the in-memory store and with the shared Redis:
 * executed once, replayed, 422 on another request, 409 while running, per caller, released when
 * no answer came or the answer is too large to keep, two gateways sharing one Redis, and Redis down.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { declaredAnswerProblems } from '../testing/declared-answer.js';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { BIG_ITEM_CHARS, idempotentSpec, startIdempotentUpstream, type IdempotentUpstream } from '../testing/idempotent-upstream.js';
import { hasRedisServer, redisRequired, SHARED_REDIS_URL, uniquePrefix } from '../testing/redis.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';
import { memoryIdempotencyStore } from './idempotency-memory.js';
import { redisIdempotencyStore } from './idempotency-redis.js';
import type { IdempotencyStore } from './idempotency-store.js';

const withRedis = hasRedisServer() || redisRequired();
const quiet = createLogger('silent');
const ENV = { UPSTREAM_TIMEOUT_MS: '2000', TRUST_PROXY: '1' };
const CREATE = 'POST /orders';

let upstream: IdempotentUpstream;
let alice: string;
let bob: string;

beforeAll(async () => {
  upstream = await startIdempotentUpstream();
  [alice, bob] = await Promise.all([mintToken('alice'), mintToken('bob')]);
});
afterAll(() => upstream?.close());

interface Send {
  readonly token?: string;
  readonly key?: string;
  readonly item?: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

/** A JSON request with an optional Idempotency-Key. */
const send = (gateway: TestGateway, path: string, { token = alice, key, item = 'book', method = 'POST', headers = {}, signal }: Send = {}) =>
  gateway.request(path, {
    method,
    token,
    signal,
    body: JSON.stringify({ item }),
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }), ...headers },
  });

/** How many more requests the upstream received for `what` while `action` ran, and what it returned. */
async function counting<T>(what: string, action: () => Promise<T>): Promise<{ hits: number; result: T }> {
  const before = upstream.hits(what);
  const result = await action();
  return { hits: upstream.hits(what) - before, result };
}

/** The uniform error body, exactly. */
const errorBody = async (res: Response, status: number, error_type: string, detail: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  expect(await res.json()).toEqual({ detail, status_code: status, error_type, request_id: res.headers.get('x-request-id') });
};

const STILL_RUNNING = 'A request with this Idempotency-Key is still in progress. Retry once it has answered.';
const REUSED = 'This Idempotency-Key was already used with a different request body.';

/** The behaviour every store gives; `env` varies how the answer is read (checked and buffered, or streamed). */
function behaves(open: () => Promise<IdempotencyStore>, env: Record<string, string>) {
  let gateway: TestGateway;
  let store: IdempotencyStore;
  beforeAll(async () => {
    store = await open();
    gateway = await startTestGateway(idempotentSpec(upstream.url), { ...ENV, ...env }, {}, undefined, store);
  });
  afterAll(async () => {
    await gateway?.close();
    await store?.close();
  });

  it('forwards the first request once and replays its status, headers and body to a retry, without Set-Cookie', async () => {
    const key = randomUUID();
    const { hits, result: [first, retry] } = await counting(CREATE, async () => {
      const first = await send(gateway, '/orders', { key });
      // The key quoted as the draft writes it is the same key.
      const retry = await send(gateway, '/orders', { key: `"${key}"` });
      return [first, retry];
    });
    expect(hits).toBe(1);
    expect(first!.status).toBe(201);
    expect(retry!.status).toBe(201);
    const body = await first!.text();
    expect(JSON.parse(body)).toMatchObject({ item: 'book' });
    expect(await retry!.text()).toBe(body);
    expect(first!.headers.get('idempotent-replayed')).toBeNull();
    expect(retry!.headers.get('idempotent-replayed')).toBe('true');
    expect(first!.headers.get('set-cookie')).toMatch(/^session=order-\d+; HttpOnly$/);
    expect(retry!.headers.get('set-cookie')).toBeNull();
    for (const name of ['location', 'x-upstream-hit', 'content-type', 'content-length']) expect(retry!.headers.get(name)).toBe(first!.headers.get(name));
    expect(retry!.headers.get('x-request-id')).not.toBe(first!.headers.get('x-request-id'));
    expect(retry!.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(retry!.headers.get('access-control-expose-headers')).toContain('Idempotent-Replayed');
  });

  it('answers 422 idempotency_key_reused to the same key with another body, or on another path, without forwarding', async () => {
    const key = randomUUID();
    const { hits, result } = await counting(CREATE, async () => [await send(gateway, '/orders', { key, item: 'book' }), await send(gateway, '/orders', { key, item: 'pen' })]);
    expect(hits).toBe(1);
    expect(result[0]!.status).toBe(201);
    await errorBody(result[1]!, 422, 'idempotency_key_reused', REUSED);
    const patch = randomUUID();
    const patched = await counting('PATCH /orders/{id}', async () => [await send(gateway, '/orders/a', { key: patch, method: 'PATCH' }), await send(gateway, '/orders/b', { key: patch, method: 'PATCH' })]);
    expect(patched.hits).toBe(1);
    expect(patched.result[0]!.status).toBe(200);
    await errorBody(patched.result[1]!, 422, 'idempotency_key_reused', REUSED);
  });

  it('answers 409 conflict to a retry while the first request is still running, and replays once it has answered', async () => {
    const key = randomUUID();
    const { hits } = await counting(CREATE, async () => {
      const held = upstream.holdNext();
      const first = send(gateway, '/orders', { key });
      await held.arrived;
      await errorBody(await send(gateway, '/orders', { key }), 409, 'conflict', STILL_RUNNING);
      held.release();
      const answered = await first;
      expect(answered.status).toBe(201);
      const replay = await send(gateway, '/orders', { key });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(await replay.text()).toBe(await answered.text());
    });
    expect(hits).toBe(1);
  });

  it('keeps the answer when the client went away before it came, so its retry is replayed', async () => {
    const key = randomUUID();
    const { hits, result } = await counting(CREATE, async () => {
      const held = upstream.holdNext();
      const gone = new AbortController();
      const first = send(gateway, '/orders', { key, signal: gone.signal }).catch(() => 'aborted');
      await held.arrived;
      gone.abort();
      expect(await first).toBe('aborted');
      held.release();
      // 409 until the upstream's answer has reached the gateway and been kept; a few milliseconds.
      for (let i = 0; i < 100; i++) {
        const retry = await send(gateway, '/orders', { key });
        if (retry.status !== 409) return retry;
        await retry.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('still 409 after 1 s');
    });
    expect(hits).toBe(1);
    expect(result.status).toBe(201);
    expect(result.headers.get('idempotent-replayed')).toBe('true');
  });

  it("keeps callers apart: bob's request with alice's key is executed, and neither replays the other's answer", async () => {
    const key = randomUUID();
    const { hits, result } = await counting(CREATE, async () => {
      const a = await (await send(gateway, '/orders', { key, token: alice })).json();
      const b = await (await send(gateway, '/orders', { key, token: bob })).json();
      const again = await send(gateway, '/orders', { key, token: alice });
      return { a, b, again: await again.json() };
    });
    expect(hits).toBe(2);
    expect(result.b.id).not.toBe(result.a.id);
    expect(result.again).toEqual(result.a);
  });

  it("scopes an unauthenticated caller's keys by client address (TRUST_PROXY=1: X-Forwarded-For)", async () => {
    const key = randomUUID();
    const from = (address: string) => send(gateway, '/public-orders', { key, token: '', headers: { 'x-forwarded-for': address } });
    const { hits, result } = await counting('POST /public-orders', async () => [await from('203.0.113.1'), await from('203.0.113.2'), await from('203.0.113.1')]);
    expect(hits).toBe(2);
    expect(result.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(result.map((r) => r.headers.get('idempotent-replayed'))).toEqual([null, null, 'true']);
  });

  it("replays the upstream's own refusal (409, in the uniform body) without asking it again", async () => {
    const key = randomUUID();
    const { hits, result } = await counting(CREATE, async () => [await send(gateway, '/orders', { key, item: 'refused' }), await send(gateway, '/orders', { key, item: 'refused' })]);
    expect(hits).toBe(1);
    await errorBody(result[0]!, 409, 'conflict', 'Out of stock');
    expect(result[1]!.headers.get('idempotent-replayed')).toBe('true');
    await errorBody(result[1]!, 409, 'conflict', 'Out of stock');
  });

  it('releases the key when the upstream could not be reached (502), so a retry runs', async () => {
    const key = randomUUID();
    const { hits, result } = await counting(CREATE, async () => {
      upstream.dropNext();
      return [await send(gateway, '/orders', { key }), await send(gateway, '/orders', { key })];
    });
    expect(hits).toBe(2);
    await errorBody(result[0]!, 502, 'bad_gateway', 'The upstream for createOrder could not be reached (connection dropped).');
    expect(result[1]!.status).toBe(201);
    expect(result[1]!.headers.get('idempotent-replayed')).toBeNull();
  });

  it('sends an answer over 1 MiB whole without keeping it: its key is released and a retry runs', async () => {
    const key = randomUUID();
    const { hits, result } = await counting(CREATE, async () => {
      const first = await send(gateway, '/orders', { key, item: 'big' });
      const body = await first.json();
      return { first, body, retry: await send(gateway, '/orders', { key, item: 'big' }) };
    });
    expect(hits).toBe(2);
    expect(result.first.status).toBe(201);
    expect(result.body.item).toBe('x'.repeat(BIG_ITEM_CHARS));
    expect(result.retry.status).toBe(201);
    expect(result.retry.headers.get('idempotent-replayed')).toBeNull();
    expect((await result.retry.json()).item).toHaveLength(BIG_ITEM_CHARS);
    expect(gateway.logs.some((line) => line.msg === 'idempotent answer too large to store; its key is released')).toBe(true);
  });

  it('leaves alone an operation that does not declare the header, and a request without a key', async () => {
    const key = randomUUID();
    const notes = await counting('POST /notes', async () => [await send(gateway, '/notes', { key }), await send(gateway, '/notes', { key })]);
    expect(notes.hits).toBe(2);
    const [a, b] = await Promise.all(notes.result.map((r) => r.json()));
    expect(a.id).not.toBe(b.id);
    for (const r of notes.result) expect(r.headers.get('idempotent-replayed')).toBeNull();
    const keyless = await counting(CREATE, async () => [await send(gateway, '/orders'), await send(gateway, '/orders')]);
    expect(keyless.hits).toBe(2);
  });
}

describe('the in-memory store (answers checked against the contract, then kept)', () => {
  behaves(async () => memoryIdempotencyStore(), {});
});

describe.runIf(withRedis)('the shared Redis (answers streamed through, UPSTREAM_RESPONSE_VALIDATION=off)', () => {
  behaves(() => redisIdempotencyStore(SHARED_REDIS_URL, uniquePrefix('idempotency'), quiet), { UPSTREAM_RESPONSE_VALIDATION: 'off' });
});

describe.runIf(withRedis)('two gateways sharing one Redis', () => {
  let gateways: TestGateway[];
  let stores: IdempotencyStore[];
  beforeAll(async () => {
    const prefix = uniquePrefix('idempotency-pair');
    stores = await Promise.all([0, 1].map(() => redisIdempotencyStore(SHARED_REDIS_URL, prefix, quiet)));
    gateways = await Promise.all(stores.map((store) => startTestGateway(idempotentSpec(upstream.url), ENV, {}, undefined, store)));
  });
  afterAll(async () => {
    await Promise.all(gateways?.map((gateway) => gateway.close()) ?? []);
    await Promise.all(stores?.map((store) => store.close()) ?? []);
  });

  it('run a retry spread across both once: 409 on either while it runs, then the same answer from either', async () => {
    const [a, b] = gateways as [TestGateway, TestGateway];
    const key = randomUUID();
    const { hits } = await counting(CREATE, async () => {
      const held = upstream.holdNext();
      const first = send(a, '/orders', { key });
      await held.arrived;
      for (const res of await Promise.all([send(b, '/orders', { key }), send(a, '/orders', { key }), send(b, '/orders', { key })])) await errorBody(res, 409, 'conflict', STILL_RUNNING);
      held.release();
      const answered = await first;
      const body = await answered.text();
      const replays = await Promise.all([send(b, '/orders', { key }), send(a, '/orders', { key })]);
      for (const replay of replays) {
        expect(replay.status).toBe(201);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(await replay.text()).toBe(body);
      }
    });
    expect(hits).toBe(1);
  });
});

describe.runIf(withRedis)('Redis down', () => {
  let gateway: TestGateway;
  let store: IdempotencyStore;
  beforeAll(async () => {
    // Nothing listens on port 1: every command fails at once.
    store = await redisIdempotencyStore('redis://127.0.0.1:1', uniquePrefix('idempotency-down'), quiet);
    gateway = await startTestGateway(idempotentSpec(upstream.url), ENV, {}, undefined, store);
  });
  afterAll(async () => {
    await gateway?.close();
    await store?.close();
  });

  it('answers 503 with Retry-After to a request with a key, without forwarding it; a request without a key goes through', async () => {
    const { hits, result } = await counting(CREATE, async () => [await send(gateway, '/orders', { key: randomUUID() }), await send(gateway, '/orders')]);
    expect(hits).toBe(1);
    expect(result[0]!.headers.get('retry-after')).toBe('2');
    // The 503 is one the gateway's published contract declares on the operation, body and headers.
    const published = await (await gateway.request('/openapi.json')).json();
    expect(declaredAnswerProblems(published, 'createOrder', result[0]!, await result[0]!.clone().text())).toEqual([]);
    await errorBody(result[0]!, 503, 'service_unavailable', 'Requests with an Idempotency-Key cannot be run safely while the idempotency-key store is unavailable. Try again shortly.');
    expect(result[1]!.status).toBe(201);
  });
});
