/**
 * The Redis rate-limit store: every instance spends the same budgets. The decisions asked for in
 * one turn of the event loop go to Redis together, as one EVALSHA of GCRA_BATCH_LUA (atomic, one
 * round trip, on Redis's clock), which decides them in order exactly as one call each would; under
 * load one round trip serves many requests, and Redis runs one script instead of one per request.
 * While Redis is down a batch fails at once or after COMMAND_TIMEOUT_MS (src/redis/connection.ts),
 * and the stage fails open or closed. With tracing on, each batch is a CLIENT span (src/tracing/redis-span.ts).
 */
import type { Logger } from '../logger.js';
import { connectRedis } from '../redis/connection.js';
import { redisSpan } from '../tracing/redis-span.js';
import type { RequestTrace } from '../tracing/tracing.js';
import { GCRA_BATCH_LUA, intervalsOf, type Decision } from './gcra.js';
import type { RatePolicy } from './policy.js';
import { StoreUnavailable, type RateLimitStore } from './store.js';

/** The most decisions one script call carries; a larger turn's worth is split. */
export const MAX_BATCH = 256;

/** `numberOfKeys, ...keys, ...[interval, window] per key` → flattened {allowed, remaining, reset, retry} per key. */
type BatchCommand = (...args: (string | number)[]) => Promise<number[]>;

/** One request waiting for its decision. */
interface Pending {
  readonly key: string;
  readonly args: readonly [string, string];
  readonly resolve: (decision: Decision) => void;
  readonly reject: (error: unknown) => void;
  readonly trace: RequestTrace | undefined;
}

/** Opens a store on `url`; keys start with `prefix`. Resolves once connected or once the first attempt failed. */
export async function redisStore(url: string, prefix: string, log: Logger): Promise<RateLimitStore> {
  const shared = await connectRedis(url, 'rate-limit store', log);
  const { redis } = shared;
  redis.defineCommand('specgateGcraBatch', { lua: GCRA_BATCH_LUA });
  const batchCommand = (redis as unknown as { specgateGcraBatch: BatchCommand }).specgateGcraBatch.bind(redis);
  const down = shared.failed;

  // A policy's two script arguments, as strings, made once per policy.
  const argsOf = new WeakMap<RatePolicy, readonly [string, string]>();
  const policyArgs = (policy: RatePolicy) => {
    let args = argsOf.get(policy);
    if (args === undefined) {
      const { interval, window } = intervalsOf(policy.requests, policy.per);
      args = [String(interval), String(window)];
      argsOf.set(policy, args);
    }
    return args;
  };

  let pending: Pending[] = [];
  let scheduled = false;
  const send = (batch: readonly Pending[]) => {
    const args: (string | number)[] = [batch.length];
    for (const p of batch) args.push(prefix + p.key);
    for (const p of batch) args.push(p.args[0], p.args[1]);
    // One call serves every request of the batch: its span is a child of the first sampled one's.
    redisSpan(batch.find((p) => p.trace?.recording)?.trace, 'EVALSHA gcra_batch', batch.length, () => batchCommand(...args)).then(
      (out) => {
        for (let i = 0; i < batch.length; i++) {
          const at = 4 * i;
          batch[i]!.resolve({ allowed: out[at] === 1, remaining: out[at + 1]!, resetMs: out[at + 2]!, retryMs: out[at + 3]! });
        }
      },
      (error: unknown) => {
        down(error);
        const unavailable = new StoreUnavailable({ cause: error });
        for (const p of batch) p.reject(unavailable);
      },
    );
  };
  // After the event loop's poll phase: every request read in this turn has asked by then.
  const flush = () => {
    scheduled = false;
    const all = pending;
    pending = [];
    for (let from = 0; from < all.length; from += MAX_BATCH) send(all.slice(from, from + MAX_BATCH));
  };

  return {
    kind: 'redis',
    get available() {
      return shared.available;
    },
    take(key: string, policy: RatePolicy, trace?: RequestTrace): Promise<Decision> {
      return new Promise<Decision>((resolve, reject) => {
        pending.push({ key, args: policyArgs(policy), resolve, reject, trace });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    async close() {
      redis.disconnect();
    },
  };
}
