/** Where Prometheus scrapes GET /metrics: METRICS_PORT and METRICS_HOST (docs/scaling.md). */

import { integer, type Env } from './readers.js';

/** A listener of its own for /metrics, off the API port. */
export interface MetricsConfig {
  /** METRICS_PORT; undefined (unset) turns metrics off. */
  readonly port: number | undefined;
  /** METRICS_HOST: the interface the metrics listener binds to; HOST by default. */
  readonly host: string;
}

/** METRICS_PORT and METRICS_HOST, checked against the API's port and defaulting to its host. */
export function metrics(env: Env, host: string, apiPort: number, problems: string[]): MetricsConfig {
  const unset = env.METRICS_PORT === undefined || env.METRICS_PORT === '';
  const port = unset ? undefined : integer(env, 'METRICS_PORT', 0, 0, 65535, problems);
  if (port !== undefined && port !== 0 && port === apiPort) problems.push(`METRICS_PORT must differ from PORT (both ${port}): /metrics has a listener of its own, outside the API.`);
  return { port, host: env.METRICS_HOST || host };
}
