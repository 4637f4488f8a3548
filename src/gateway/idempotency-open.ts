/**
 * The idempotency-record store an entry point opens (src/main.ts, src/gateway/cli.ts): Redis when
 * REDIS_URL is set and some operation sent upstream declares the Idempotency-Key header, so every
 * instance shares the records; otherwise none, and the pipeline keeps them in its own memory.
 */
import type { Config } from '../config/index.js';
import type { Contract } from '../contract/spec.js';
import type { Logger } from '../logger.js';
import { idempotentOperations } from './idempotency.js';
import { redisIdempotencyStore } from './idempotency-redis.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { upstreamRouting } from './upstreams.js';

/** Opens the shared store when it is needed and REDIS_URL is set; undefined otherwise. */
export async function openIdempotencyStore(config: Config, contract: Contract, handlers: object, log: Logger): Promise<IdempotencyStore | undefined> {
  if (config.limits.redisUrl === undefined) return undefined;
  const { byOperation } = upstreamRouting(contract, handlers, config.upstream.url);
  if (idempotentOperations(contract, byOperation).size === 0) return undefined;
  return redisIdempotencyStore(config.limits.redisUrl, config.limits.redisPrefix, log);
}
