/**
 * The upstream origins a forwarder talks to: one pooled keep-alive undici client and one circuit
 * breaker per origin, shared by every base URL on it, and each forwarded operation's target.
 */
import { createRequire } from 'node:module';
import type { Pool } from 'undici';
import type { UpstreamConfig } from '../config/index.js';
import { CircuitBreaker, type BreakerChange, type UpstreamHealth } from './breaker.js';

/** One upstream origin: its pool and its breaker, shared by every base URL on that origin. */
export interface Origin {
  readonly name: string;
  /** One request at a time per connection: every method, and every request when pipelining is off. */
  readonly pool: Pool;
  /** GET and HEAD only, several at a time per connection, when UPSTREAM_PIPELINING is above 1. */
  readonly pipelined?: Pool;
  readonly breaker: CircuitBreaker;
}

/** Where one operation goes. */
export interface Target {
  readonly origin: Origin;
  /** The base URL's path without its trailing slash ('' for the root). */
  readonly basePath: string;
}

/** Every origin, and every forwarded operation's target on one of them. */
export interface OriginPools {
  readonly targets: ReadonlyMap<string, Target>;
  /** Each origin by its name (scheme://host:port). */
  readonly origins: ReadonlyMap<string, Origin>;
  /** Each upstream origin and its state: up, down or open. */
  health(): { origin: string; state: UpstreamHealth }[];
  /** Closes every pool. */
  close(): Promise<void>;
}

/** undici, loaded when the first upstream pool is made: a server with no upstream never loads it. */
const undici = () => createRequire(import.meta.url)('undici') as typeof import('undici');

/** One pool and breaker per origin of `byOperation`'s base URLs (operationId → base URL), made now; `onChange` is told each breaker's changes of state. */
export function originPools(config: UpstreamConfig, byOperation: ReadonlyMap<string, string>, onChange?: (origin: string) => BreakerChange): OriginPools {
  const origins = new Map<string, Origin>();
  const targets = new Map<string, Target>();
  for (const [operationId, base] of byOperation) {
    const url = new URL(base);
    let origin = origins.get(url.origin);
    if (!origin) {
      const options = { connections: 256, keepAliveTimeout: 10_000, connectTimeout: Math.min(config.timeoutMs, 10_000) };
      const pool = new (undici().Pool)(url.origin, options);
      const pipelined = config.pipelining > 1 ? new (undici().Pool)(url.origin, { ...options, pipelining: config.pipelining }) : undefined;
      origin = { name: url.origin, pool, ...(pipelined ? { pipelined } : {}), breaker: new CircuitBreaker(config.breakerFailures, config.breakerCooldown * 1000, Date.now, onChange?.(url.origin)) };
      origins.set(url.origin, origin);
    }
    targets.set(operationId, { origin, basePath: url.pathname.replace(/\/+$/, '') });
  }
  return {
    targets,
    origins,
    health: () => [...origins].map(([name, origin]) => ({ origin: name, state: origin.breaker.health() })),
    close: async () => {
      await Promise.all([...origins.values()].flatMap((origin) => [origin.pool.close(), origin.pipelined?.close()]));
    },
  };
}

/** The methods that may share an upstream connection with answers still owed: safe to resend if it drops. */
export const PIPELINABLE: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * The pool a request goes to: GET and HEAD to the pipelined pool when there is one; any other
 * method to a connection of its own, so a POST never waits behind someone else's GET.
 */
export function poolFor(origin: Origin, method: string): Pool {
  return origin.pipelined !== undefined && PIPELINABLE.has(method) ? origin.pipelined : origin.pool;
}
