/**
 * The Generic Cell Rate Algorithm, the one rate-limit algorithm of both stores. A budget of
 * `requests` per `per` seconds is one number per key, the theoretical arrival time (TAT): each
 * admitted request moves it one emission interval (per / requests) later, and a request is refused
 * while the TAT is more than `per` ahead of now. A full budget can be spent at once, then it refills
 * smoothly; there is no window edge where twice the limit gets through, and one key costs one
 * small value. The Redis store runs the same arithmetic in GCRA_LUA, atomically, on Redis's clock.
 */

/** What the store decided for one request. */
export interface Decision {
  readonly allowed: boolean;
  /** Requests still admitted right now after this one (the RateLimit field's `r`). */
  readonly remaining: number;
  /** Milliseconds until the whole budget is available again (the RateLimit field's `t`). */
  readonly resetMs: number;
  /** Milliseconds until a refused request would be admitted (Retry-After); 0 when allowed. */
  readonly retryMs: number;
}

/** Emission interval and window of a policy, in milliseconds. */
export const intervalsOf = (requests: number, perSeconds: number) => ({ interval: (perSeconds * 1000) / requests, window: perSeconds * 1000 });

// Float headroom: 60 000 / 7 × 7 must still count as 7 requests, not 6.999….
const EPSILON = 1e-6;

/** One GCRA step: the decision and the key's new TAT (unchanged when refused). */
export function gcra(storedTat: number | undefined, now: number, interval: number, window: number): { decision: Decision; tat: number } {
  const tat = Math.max(storedTat ?? now, now);
  const next = tat + interval;
  if (next - now > window + EPSILON) {
    return { decision: { allowed: false, remaining: 0, resetMs: Math.ceil(tat - now), retryMs: Math.ceil(next - window - now) }, tat };
  }
  const remaining = Math.floor((window - (next - now)) / interval + EPSILON);
  return { decision: { allowed: true, remaining, resetMs: Math.ceil(next - now), retryMs: 0 }, tat: next };
}

/**
 * GCRA_LUA: the same step as gcra() in one Redis round trip. KEYS[1] holds the TAT (ms, Redis's
 * clock, so instances with skewed clocks agree); ARGV: interval ms, window ms. Returns
 * {allowed 0|1, remaining, reset ms, retry ms}. The key expires when the budget is full again.
 */
export const GCRA_LUA = `
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local nxt = tat + interval
if nxt - now > window + 1e-6 then
  return {0, 0, math.ceil(tat - now), math.ceil(nxt - window - now)}
end
redis.call('SET', KEYS[1], string.format('%.3f', nxt), 'PX', math.max(1, math.ceil(nxt - now)))
return {1, math.floor((window - (nxt - now)) / interval + 1e-6), math.ceil(nxt - now), 0}
`;
