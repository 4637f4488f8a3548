/**
 * Rate limits on operations sent upstream, shared by two gateways through one Redis: a caller's
 * burst spread over both admits the budget once, not once per gateway, and what is refused never
 * reaches the upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStore } from '../limits/redis-store.js';
import type { RateLimitStore } from '../limits/store.js';
import { createLogger } from '../logger.js';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { idempotentSpec, startIdempotentUpstream, type IdempotentUpstream } from '../testing/idempotent-upstream.js';
import { hasRedisServer, redisRequired, SHARED_REDIS_URL, uniquePrefix } from '../testing/redis.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';

const BUDGET = 3;

/** The fixture with createNote limited to BUDGET a minute per caller, its 429 declared. */
function limitedSpec(upstream: string) {
  const doc = idempotentSpec(upstream);
  const createNote = doc.paths['/notes'].post;
  createNote['x-specgate-rate-limit'] = { requests: BUDGET, per: 60, by: 'caller' };
  createNote.responses['429'] = { description: 'Too many requests', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return doc;
}

describe.runIf(hasRedisServer() || redisRequired())('rate limits of upstream operations, two gateways sharing one Redis', () => {
  let upstream: IdempotentUpstream;
  let stores: RateLimitStore[];
  let gateways: TestGateway[];
  let token: string;
  beforeAll(async () => {
    upstream = await startIdempotentUpstream();
    token = await mintToken('carol');
    const prefix = uniquePrefix('gateway-limits');
    stores = await Promise.all([0, 1].map(() => redisStore(SHARED_REDIS_URL, prefix, createLogger('silent'))));
    gateways = await Promise.all(stores.map((store) => startTestGateway(limitedSpec(upstream.url), { REDIS_URL: SHARED_REDIS_URL }, {}, undefined, undefined, store)));
  });
  afterAll(async () => {
    await Promise.all(gateways?.map((g) => g.close()) ?? []);
    await Promise.all(stores?.map((s) => s.close()) ?? []);
    await upstream?.close();
  });

  it('admits the budget once across both, refuses the rest with 429, Retry-After and the RateLimit fields, and forwards only what it admits', async () => {
    const before = upstream.hits('POST /notes');
    const answers: Response[] = [];
    for (let i = 0; i < 2 * BUDGET; i++) {
      answers.push(await gateways[i % 2]!.request('/notes', { method: 'POST', token, body: JSON.stringify({ item: `note ${i}` }), headers: { 'content-type': 'application/json' } }));
    }
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 429, 429, 429]);
    expect(upstream.hits('POST /notes') - before).toBe(BUDGET);
    expect(answers.map((r) => r.headers.get('ratelimit'))).toEqual([
      '"createNote";r=2;t=20',
      '"createNote";r=1;t=40',
      '"createNote";r=0;t=60',
      '"createNote";r=0;t=60',
      '"createNote";r=0;t=60',
      '"createNote";r=0;t=60',
    ]);
    const refused = answers[BUDGET]!;
    expect(refused.headers.get('ratelimit-policy')).toBe('"createNote";q=3;w=60');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(19);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(refused.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await refused.json()).toEqual({
      detail: `Too many requests. Try again in ${retryAfter} s.`,
      status_code: 429,
      error_type: 'rate_limited',
      request_id: refused.headers.get('x-request-id'),
    });
    await Promise.all(answers.filter((r) => !r.bodyUsed).map((r) => r.arrayBuffer()));
  });
});
