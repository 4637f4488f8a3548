/**
 * The Generic Cell Rate Algorithm, the one rate-limit algorithm of both stores. A budget of
 * `requests` per `per` seconds is one number per key, the theoretical arrival time (TAT): each
 * admitted request moves it one emission interval (per / requests) later, and a request is refused
 * while the TAT is more than `per` ahead of now. A full budget can be spent at once, then it refills
 * smoothly; there is no window edge where twice the limit gets through, and one key costs one
 * small value. The Redis store runs the same arithmetic in GCRA_BATCH_LUA, atomically, on Redis's clock.
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

/** One GCRA step: the decision for a request arriving at `now` on a key whose TAT is `storedTat`. */
export function gcra(storedTat: number | undefined, now: number, interval: number, window: number): Decision {
  const tat = storedTat === undefined || storedTat < now ? now : storedTat;
  const next = tat + interval;
  if (next - now > window + EPSILON) {
    return { allowed: false, remaining: 0, resetMs: Math.ceil(tat - now), retryMs: Math.ceil(next - window - now) };
  }
  return { allowed: true, remaining: Math.floor((window - (next - now)) / interval + EPSILON), resetMs: Math.ceil(next - now), retryMs: 0 };
}

/** The key's TAT after gcra() admitted a request (a refusal leaves it as it was). */
export const admittedTat = (storedTat: number | undefined, now: number, interval: number): number =>
  (storedTat === undefined || storedTat < now ? now : storedTat) + interval;

/**
 * GCRA_BATCH_LUA: gcra() for a batch of requests in one Redis round trip, atomically and in the
 * order given, so a batch decides exactly as the same requests sent one by one would. KEYS[i]
 * holds request i's TAT (ms, Redis's clock, so instances with skewed clocks agree; a key may repeat);
 * ARGV[2i-1], ARGV[2i]: its interval and window in ms. Returns {allowed 0|1, remaining, reset ms,
 * retry ms} per request, flattened. Each key is read and written once per batch, and expires when
 * its budget is full again.
 */
export const GCRA_BATCH_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local tats, changed, out = {}, {}, {}
for i = 1, #KEYS do
  local key = KEYS[i]
  local interval = tonumber(ARGV[2 * i - 1])
  local window = tonumber(ARGV[2 * i])
  local tat = tats[key]
  if tat == nil then tat = tonumber(redis.call('GET', key) or now) end
  if tat < now then tat = now end
  local nxt = tat + interval
  local at = 4 * i - 3
  if nxt - now > window + 1e-6 then
    tats[key] = tat
    out[at], out[at + 1], out[at + 2], out[at + 3] = 0, 0, math.ceil(tat - now), math.ceil(nxt - window - now)
  else
    tats[key] = nxt
    changed[key] = true
    out[at], out[at + 1], out[at + 2], out[at + 3] = 1, math.floor((window - (nxt - now)) / interval + 1e-6), math.ceil(nxt - now), 0
  end
end
for key in pairs(changed) do
  redis.call('SET', key, string.format('%.3f', tats[key]), 'PX', math.max(1, math.ceil(tats[key] - now)))
end
return out
`;
