/**
 * The Redis rate-limit store: every instance spends the same budgets, each decision one EVALSHA of
 * GCRA_LUA (atomic, one round trip, on Redis's clock). ioredis reconnects by itself; while it is
 * not connected a command fails at once (no offline queue) or after COMMAND_TIMEOUT_MS, and the
 * stage fails open or closed. One warning per outage, one line when it is over.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { describeError } from '../log-safe.js';
import { GCRA_LUA, intervalsOf, type Decision } from './gcra.js';
import type { RatePolicy } from './policy.js';
import { StoreUnavailable, type RateLimitStore } from './store.js';

/** How long one decision may take before the request goes on without it (fail open) or gets 503. */
export const COMMAND_TIMEOUT_MS = 500;
const MAX_RECONNECT_DELAY_MS = 2000;

type GcraCommand = (key: string, interval: number, window: number) => Promise<[number, number, number, number]>;

/** Opens a store on `url`; keys start with `prefix`. Resolves once connected or once the first attempt failed. */
export async function redisStore(url: string, prefix: string, log: Logger): Promise<RateLimitStore> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
  });
  redis.defineCommand('specgateGcra', { numberOfKeys: 1, lua: GCRA_LUA });
  const gcra = (redis as unknown as { specgateGcra: GcraCommand }).specgateGcra.bind(redis);
  let state: 'connecting' | 'up' | 'down' = 'connecting';
  const down = (error: unknown) => {
    if (state === 'down') return;
    state = 'down';
    log.warn({ cause: describeError(error) }, 'rate-limit store (Redis) unavailable; reconnecting');
  };
  redis.on('error', down);
  redis.on('close', () => state === 'up' && down(new Error('connection closed')));
  redis.on('ready', () => {
    if (state === 'down') log.info('rate-limit store (Redis) available again');
    state = 'up';
  });
  await new Promise<void>((resolve) => {
    const settle = () => {
      redis.off('ready', settle);
      redis.off('error', settle);
      resolve();
    };
    redis.once('ready', settle);
    redis.once('error', settle);
  });
  return {
    kind: 'redis',
    get available() {
      return state === 'up';
    },
    async take(key: string, policy: RatePolicy): Promise<Decision> {
      const { interval, window } = intervalsOf(policy.requests, policy.per);
      try {
        const [allowed, remaining, resetMs, retryMs] = await gcra(prefix + key, interval, window);
        return { allowed: allowed === 1, remaining, resetMs, retryMs };
      } catch (error) {
        down(error);
        throw new StoreUnavailable({ cause: error });
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
