/**
 * The Redis idempotency-record store: every instance sees the same records, so a retry that lands
 * on another instance is replayed (or told 409) there. Each step is one EVALSHA, atomic on Redis:
 * claim-or-read (`SET NX PX` with the lease, else `GET`), complete and release (both only while the
 * key still holds this claim's running value, so a claim that outlived its lease cannot overwrite
 * the next one). A record is one JSON string, the body base64. The connection is src/redis/connection.ts's.
 * With tracing on, each step is a CLIENT span of the request (src/tracing/redis-span.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { connectRedis } from '../redis/connection.js';
import { redisSpan } from '../tracing/redis-span.js';
import type { RequestTrace } from '../tracing/tracing.js';
import { IdempotencyStoreUnavailable, type Claim, type ClaimResult, type IdempotencyStore, type KeyRecord, type StoredOutcome } from './idempotency-store.js';

/** Claims KEYS[1] with ARGV[1] for ARGV[2] ms and returns nil, or returns the record already there. */
const CLAIM_LUA = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])`;

/** Replaces KEYS[1] with ARGV[2] for ARGV[3] ms if it still holds the running value ARGV[1]. */
const COMPLETE_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/** Deletes KEYS[1] if it still holds the running value ARGV[1]. */
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

interface Commands {
  specgateIdemClaim(key: string, running: string, leaseMs: number): Promise<string | null>;
  specgateIdemComplete(key: string, running: string, done: string, ttlMs: number): Promise<number>;
  specgateIdemRelease(key: string, running: string): Promise<number>;
}

/** A record as stored: JSON, with an answer's body in base64. */
function encode(record: KeyRecord & { token?: string }): string {
  if (record.state === 'running' || record.outcome.kind === 'error') return JSON.stringify(record);
  return JSON.stringify({ ...record, outcome: { ...record.outcome, body: record.outcome.body.toString('base64') } });
}

function decode(text: string): KeyRecord {
  const record = JSON.parse(text);
  if (record.state === 'done' && record.outcome.kind === 'answer') record.outcome.body = Buffer.from(record.outcome.body, 'base64');
  return record as KeyRecord;
}

/** Opens a store on `url`; keys start with `prefix` (REDIS_PREFIX). Resolves once connected or once the first attempt failed. */
export async function redisIdempotencyStore(url: string, prefix: string, log: Logger): Promise<IdempotencyStore> {
  const shared = await connectRedis(url, 'idempotency-key store', log);
  const { redis } = shared;
  redis.defineCommand('specgateIdemClaim', { numberOfKeys: 1, lua: CLAIM_LUA });
  redis.defineCommand('specgateIdemComplete', { numberOfKeys: 1, lua: COMPLETE_LUA });
  redis.defineCommand('specgateIdemRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
  const commands = redis as unknown as Commands;
  const down = shared.failed;
  const attempt = async <T>(trace: RequestTrace | undefined, name: string, command: () => Promise<T>): Promise<T> => {
    try {
      return await redisSpan(trace, name, 1, command);
    } catch (error) {
      down(error);
      throw new IdempotencyStoreUnavailable({ cause: error });
    }
  };
  return {
    kind: 'redis',
    get available() {
      return shared.available;
    },
    async claim(key: string, fingerprint: string, leaseMs: number, trace?: RequestTrace): Promise<ClaimResult> {
      const running = encode({ state: 'running', fingerprint, token: randomUUID() });
      const found = await attempt(trace, 'EVALSHA idempotency_claim', () => commands.specgateIdemClaim(prefix + key, running, leaseMs));
      return found === null ? { claimed: true, claim: { key, token: running } } : { claimed: false, record: decode(found) };
    },
    async complete(claim: Claim, fingerprint: string, outcome: StoredOutcome, ttlMs: number, trace?: RequestTrace): Promise<boolean> {
      const done = encode({ state: 'done', fingerprint, outcome });
      return (await attempt(trace, 'EVALSHA idempotency_complete', () => commands.specgateIdemComplete(prefix + claim.key, claim.token, done, ttlMs))) === 1;
    },
    async release(claim: Claim, trace?: RequestTrace): Promise<void> {
      await attempt(trace, 'EVALSHA idempotency_release', () => commands.specgateIdemRelease(prefix + claim.key, claim.token));
    },
    async close() {
      redis.disconnect();
    },
  };
}
