/**
 * One Redis connection for a shared store (rate-limit budgets, idempotency records), with the
 * settings both stores need: no offline queue and no retries, so a command fails at once while
 * Redis is down (or after COMMAND_TIMEOUT_MS) and the caller decides what that means; reconnects by
 * itself with backoff; one warning per outage and one line when it is over.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { describeError } from '../log-safe.js';

/** How long one command may take before it fails as if Redis were down. */
export const COMMAND_TIMEOUT_MS = 500;
const MAX_RECONNECT_DELAY_MS = 2000;

/** A connection and whether it answers now. */
export interface SharedRedis {
  readonly redis: Redis;
  /** Whether the connection is up. */
  readonly available: boolean;
  /** Marks the connection down after a failed command (logged once per outage). */
  failed(error: unknown): void;
}

/** Connects to `url` for the store named `what` in log lines; resolves once connected or once the first attempt failed. */
export async function connectRedis(url: string, what: string, log: Logger): Promise<SharedRedis> {
  // Loaded with the first store that needs it: a server without REDIS_URL never loads ioredis.
  const { Redis: Client } = await import('ioredis');
  const redis = new Client(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
  });
  let state: 'connecting' | 'up' | 'down' = 'connecting';
  const down = (error: unknown) => {
    if (state === 'down') return;
    state = 'down';
    log.warn({ cause: describeError(error) }, `${what} (Redis) unavailable; reconnecting`);
  };
  redis.on('error', down);
  redis.on('close', () => state === 'up' && down(new Error('connection closed')));
  redis.on('ready', () => {
    if (state === 'down') log.info(`${what} (Redis) available again`);
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
    redis,
    get available() {
      return state === 'up';
    },
    failed: down,
  };
}
