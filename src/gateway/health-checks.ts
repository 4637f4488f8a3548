/**
 * Active health checks: every UPSTREAM_HEALTH_INTERVAL_MS, each upstream origin whose circuit is
 * open, or that never answered yet, gets a GET of its health path through its own pool. A 2xx–4xx
 * answer is a successful probe and closes the circuit, so readiness recovers with no client
 * traffic; no connection, a timeout or a 5xx leaves it open. The path is UPSTREAM_HEALTH_PATH,
 * else the document's own health operation on that origin when one is plainly there (see
 * `declaredHealthPath`), else `/`. Timers are unref'd and stopped by `stop()`.
 */
import type { Contract, OperationInfo } from '../contract/spec.js';
import type { Origin } from './origin-pools.js';

/** The User-Agent of a health check, so an upstream (and its logs) can tell one from a client's request. */
export const HEALTH_CHECK_AGENT = 'specgate-health-check';

/** Last path segments that name a health operation, most telling first. */
const HEALTH_NAMES = ['readyz', 'ready', 'health', 'healthz', 'healthcheck', 'livez', 'ping', 'status'];

/** Whether an operation can be sent with no parameters: no path template and no required parameter. */
function needsNothing(contract: Contract, op: OperationInfo): boolean {
  if (op.path.includes('{')) return false;
  const item = contract.document.paths?.[op.path] ?? {};
  const params: any[] = [...(item.parameters ?? []), ...(item[op.method]?.parameters ?? [])];
  return params.every((param) => param?.$ref === undefined && param?.required !== true);
}

/**
 * The path of the health operation the document declares on each origin, if one is plainly there:
 * a GET sent upstream, with no path parameter or required parameter, whose last path segment is
 * readyz, ready, health, healthz, healthcheck, livez, ping or status (in that preference); the
 * base URL's path is prefixed. Origins without one are absent.
 */
export function declaredHealthPaths(contract: Contract, byOperation: ReadonlyMap<string, string>): Map<string, string> {
  const best = new Map<string, { rank: number; path: string }>();
  for (const op of contract.operations) {
    const base = byOperation.get(op.operationId);
    if (base === undefined || op.method !== 'get' || !needsNothing(contract, op)) continue;
    const rank = HEALTH_NAMES.indexOf(op.path.split('/').pop()!.toLowerCase());
    if (rank < 0) continue;
    const url = new URL(base);
    const found = best.get(url.origin);
    if (found === undefined || rank < found.rank) best.set(url.origin, { rank, path: `${url.pathname.replace(/\/+$/, '')}${op.path}` });
  }
  return new Map([...best].map(([origin, { path }]) => [origin, path]));
}

/** The running checks. */
export interface HealthChecks {
  /** The path each origin is checked at. */
  readonly paths: ReadonlyMap<string, string>;
  /** Stops every timer (the upstream stage's close()). */
  stop(): void;
}

/** What the checks need. */
export interface HealthCheckOptions {
  readonly origins: ReadonlyMap<string, Origin>;
  /** UPSTREAM_HEALTH_PATH; undefined: each origin's declared health path, else `/`. */
  readonly configuredPath: string | undefined;
  readonly declared: ReadonlyMap<string, string>;
  readonly intervalMs: number;
  /** The most a check waits for an answer (UPSTREAM_TIMEOUT_MS, at most the interval). */
  readonly timeoutMs: number;
}

/** One GET of `path` on the origin; true when it answered 2xx–4xx. */
async function checkOnce(origin: Origin, path: string, timeoutMs: number): Promise<boolean> {
  try {
    const answer = await origin.pool.request({ method: 'GET', path, headers: { 'user-agent': HEALTH_CHECK_AGENT, accept: '*/*' }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    answer.body.resume();
    return answer.statusCode < 500;
  } catch {
    return false;
  }
}

/** Starts checking every origin now and then every `intervalMs`, while its breaker needs it. */
export function startHealthChecks({ origins, configuredPath, declared, intervalMs, timeoutMs }: HealthCheckOptions): HealthChecks {
  const paths = new Map([...origins.keys()].map((name) => [name, configuredPath ?? declared.get(name) ?? '/']));
  const running = new Set<string>();
  let stopped = false;
  const round = () => {
    for (const [name, origin] of origins) {
      if (running.has(name) || !origin.breaker.needsCheck()) continue;
      running.add(name);
      void checkOnce(origin, paths.get(name)!, Math.min(timeoutMs, intervalMs)).then((ok) => {
        running.delete(name);
        if (stopped) return;
        if (ok) origin.breaker.succeeded('health check');
        else origin.breaker.checkFailed();
      });
    }
  };
  const first = setTimeout(round, 0);
  const timer = setInterval(round, intervalMs);
  first.unref();
  timer.unref();
  return {
    paths,
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
