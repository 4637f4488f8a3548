import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { memoryStore } from './memory-store.js';
import { hasRedisServer, redisRequired, SHARED_REDIS_URL, startOwnRedis, uniquePrefix, type OwnRedis } from '../testing/redis.js';
import type { RatePolicy } from './policy.js';
import { redisStore } from './redis-store.js';
import { StoreUnavailable } from './store.js';
import { pollUntil } from '../testing/poll-until.js';

const run = hasRedisServer() || redisRequired();
const policy: RatePolicy = { name: 'burst', requests: 5, per: 60, by: 'caller' };

/** A logger whose lines the test reads. */
function capture() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  return { log: createLogger('info', sink), lines };
}

describe.runIf(run)('the Redis store (shared Redis, a prefix of its own)', () => {
  it('two clients racing for one budget admit exactly its size, and agree on what is left', async () => {
    const prefix = uniquePrefix('race');
    const { log } = capture();
    const [a, b] = await Promise.all([redisStore(SHARED_REDIS_URL, prefix, log), redisStore(SHARED_REDIS_URL, prefix, log)]);
    const decisions = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).take('k', policy)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(decisions.filter((d) => d.allowed).map((d) => d.remaining).sort()).toEqual([0, 1, 2, 3, 4]);
    const refused = decisions.find((d) => !d.allowed)!;
    expect(refused.retryMs).toBeGreaterThan(11_000);
    expect(refused.retryMs).toBeLessThanOrEqual(12_000);
    await Promise.all([a.close(), b.close()]);
  });

  it('decides the requests of one turn in one batch exactly as one call each would, keys repeating', async () => {
    const store = await redisStore(SHARED_REDIS_URL, uniquePrefix('batch'), capture().log);
    const reference = memoryStore(() => 0);
    const small: RatePolicy = { name: 'small', requests: 2, per: 10, by: 'ip' };
    const asks = [['a', policy], ['a', policy], ['b', small], ['a', policy], ['b', small], ['b', small], ['a', policy], ['a', policy], ['a', policy]] as const;
    // All asked in the same turn: one script call decides them, on one reading of Redis's clock.
    const batched = await Promise.all(asks.map(([key, p]) => store.take(key, p)));
    expect(batched).toEqual(asks.map(([key, p]) => reference.take(key, p)));
    expect(batched.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, true, true, false]);
    await Promise.all([store.close(), reference.close()]);
  });
});

describe.runIf(run)('the Redis store when Redis goes away (a redis-server of its own)', () => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await startOwnRedis();
  });
  afterAll(() => redis.stop());

  it('fails with StoreUnavailable at once, warns once per outage, and recovers by itself', async () => {
    const { log, lines } = capture();
    const store = await redisStore(redis.url, uniquePrefix('outage'), log);
    expect(store.available).toBe(true);
    expect((await store.take('k', policy)).allowed).toBe(true);
    await redis.stop();
    for (let i = 0; i < 3; i++) await expect(store.take('k', policy)).rejects.toBeInstanceOf(StoreUnavailable);
    expect(store.available).toBe(false);
    await redis.start();
    await pollUntil(() => store.available);
    expect(store.available).toBe(true);
    // A fresh server knows no budget: the key starts again.
    expect(await store.take('k', policy)).toMatchObject({ allowed: true, remaining: 4 });
    expect(lines.filter((l) => l.msg.includes('unavailable')).length).toBe(1);
    expect(lines.filter((l) => l.msg === 'rate-limit store (Redis) available again').length).toBe(1);
    await store.close();
  });
});
