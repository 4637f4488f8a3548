/**
 * Every series specgate exports on GET /metrics (docs/scaling.md "Metrics"), in one prom-client
 * registry per process: requests and their latency per operation, rate-limit rejections,
 * idempotent replays, the database pool and Redis (read at scrape time), and in gateway mode the
 * upstreams' latency and failures. With WORKERS > 1 the primary sums every worker's registry.
 */
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Database } from '../db/database.js';
import type { RateLimitStore } from '../limits/store.js';
import { asMetric, FastCounter, FastHistogram } from './cells.js';

/** Upper bounds, in seconds, of the latency buckets (request and upstream). */
export const LATENCY_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One process's metrics. */
export interface Metrics {
  readonly registry: Registry;
  /** specgate_http_requests_total{operation, status, error_type}. */
  readonly requests: FastCounter;
  /** specgate_http_request_duration_seconds{operation}: from the first stage to the response's last byte. */
  readonly duration: FastHistogram;
  /** specgate_rate_limit_rejections_total{policy}: requests answered 429. */
  readonly rateLimitRejections: FastCounter;
  /** specgate_idempotent_replays_total{operation}: stored answers sent again for a repeated Idempotency-Key. */
  readonly idempotentReplays: FastCounter;
  /** specgate_upstream_response_seconds{upstream}: time to the upstream's response head. */
  readonly upstreamDuration: FastHistogram;
  /** specgate_upstream_failures_total{upstream, kind}. */
  readonly upstreamFailures: FastCounter;
  /** specgate_upstream_shed_total{upstream}: requests answered 503 at once because the upstream's circuit is open. */
  readonly upstreamShed: FastCounter;
  /** specgate_upstream_contract_violations_total{operation}: upstream answers that broke the contract, enforced or reported. */
  readonly contractViolations: FastCounter;
  /** specgate_deprecated_calls_total{operation}: calls to a deprecated operation, or sending a deprecated parameter. */
  readonly deprecatedCalls: FastCounter;
  /** specgate_contract_reloads_total{outcome}: live reloads of the contract, `applied` or `refused`. */
  readonly contractReloads: FastCounter;
  /** Exports the pool's use and Redis's availability, read when Prometheus scrapes. */
  watch(sources: { readonly db?: Database; readonly store?: RateLimitStore }): void;
}

/** Creates the registry with every series, and Node's process metrics (CPU, memory, event loop). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = {
    registry,
    requests: new FastCounter('specgate_http_requests_total', 'Requests answered, by operationId, status and error_type (absent on success).'),
    duration: new FastHistogram('specgate_http_request_duration_seconds', 'Time from the first stage to the last byte of the response, by operationId.', LATENCY_BUCKETS),
    rateLimitRejections: new FastCounter('specgate_rate_limit_rejections_total', 'Requests refused with 429 rate_limited, by policy (operationId, or "default").'),
    idempotentReplays: new FastCounter('specgate_idempotent_replays_total', 'Stored answers sent again for a repeated Idempotency-Key, by operationId.'),
    upstreamDuration: new FastHistogram('specgate_upstream_response_seconds', 'Gateway mode: time to the upstream response head, by upstream origin.', LATENCY_BUCKETS),
    deprecatedCalls: new FastCounter('specgate_deprecated_calls_total', 'Calls to an operation marked deprecated (or sending a deprecated parameter), by operationId.'),
    contractReloads: new FastCounter('specgate_contract_reloads_total', 'Live reloads of the contract (SIGHUP, --watch), by outcome: applied or refused.'),
    upstreamFailures: new FastCounter('specgate_upstream_failures_total', 'Gateway mode: forwards that failed, by upstream origin and kind (connection, timeout, circuit_open, contract, broken_body).'),
    upstreamShed: new FastCounter('specgate_upstream_shed_total', 'Gateway mode: requests answered 503 without being sent because the upstream origin\'s circuit is open, by upstream.'),
    contractViolations: new FastCounter('specgate_upstream_contract_violations_total', 'Gateway mode: upstream answers that broke the contract (502 under enforce, passed under report), by operationId.'),
  };
  for (const cell of Object.values(metrics)) if (cell instanceof FastCounter || cell instanceof FastHistogram) registry.registerMetric(asMetric(cell));
  return {
    ...metrics,
    watch({ db, store }) {
      const pool = db?.pool?.bind(db);
      if (pool) {
        const gauge = (name: string, help: string, read: () => number) =>
          new Gauge({ name, help, registers: [registry], collect() {
            this.set(read());
          } });
        gauge('specgate_db_pool_in_use', 'Database connections checked out of the pool now.', () => pool().in_use);
        gauge('specgate_db_pool_waiting', 'Queries waiting for a free pooled connection now.', () => pool().waiting);
        gauge('specgate_db_pool_max', 'Pooled connections at most (DB_POOL_MAX, per process).', () => pool().max);
      }
      if (store?.kind === 'redis') {
        // min across workers: 1 only when every worker reaches Redis.
        new Gauge({ name: 'specgate_redis_up', help: 'Whether the rate-limit store (Redis) answers: 1 up, 0 down.', registers: [registry], aggregator: 'min', collect() {
          this.set(store.available ? 1 : 0);
        } });
      }
    },
  };
}
