/** Rate limits from the contract and where their budgets live: RATE_LIMITS, REDIS_*, TRUST_PROXY (docs/scaling.md). */

import { integer, oneOf, type Env } from './readers.js';

/** How the contract's x-specgate-rate-limit budgets are kept. */
export interface LimitsConfig {
  /** RATE_LIMITS=off ignores every x-specgate-rate-limit (load tests); on by default. */
  readonly enabled: boolean;
  /** REDIS_URL: budgets shared by every instance; unset → in this process's memory. */
  readonly redisUrl: string | undefined;
  /** REDIS_PREFIX: what every key this server writes starts with. */
  readonly redisPrefix: string;
  /** RATE_LIMIT_FAILURE=closed: 503 while Redis is down, instead of letting requests through. */
  readonly failClosed: boolean;
  /** TRUST_PROXY: how many proxy hops' X-Forwarded-For entries to believe for `by: ip`. */
  readonly trustProxy: number;
}

/** The limits when no variable is set. */
export const LIMITS_DEFAULTS: LimitsConfig = Object.freeze({ enabled: true, redisUrl: undefined, redisPrefix: 'specgate:', failClosed: false, trustProxy: 0 });

/** RATE_LIMITS, REDIS_URL, REDIS_PREFIX, RATE_LIMIT_FAILURE and TRUST_PROXY, checked. */
export function limits(env: Env, problems: string[]): LimitsConfig {
  const redisUrl = env.REDIS_URL || LIMITS_DEFAULTS.redisUrl;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must start with redis:// or rediss://.');
  return {
    enabled: oneOf(env, 'RATE_LIMITS', ['on', 'off'], LIMITS_DEFAULTS.enabled ? 'on' : 'off', problems) === 'on',
    redisUrl,
    redisPrefix: env.REDIS_PREFIX || LIMITS_DEFAULTS.redisPrefix,
    failClosed: oneOf(env, 'RATE_LIMIT_FAILURE', ['open', 'closed'], LIMITS_DEFAULTS.failClosed ? 'closed' : 'open', problems) === 'closed',
    trustProxy: integer(env, 'TRUST_PROXY', LIMITS_DEFAULTS.trustProxy, 0, 10, problems),
  };
}
