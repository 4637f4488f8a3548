/** Drives one workload at a server with autocannon, bounded in time, and summarises it. */
import autocannon from 'autocannon';
import { BENCH_ORIGIN, CREATE_BODY } from './fixtures.js';

/** The two workloads of the issue. */
export type Workload = 'GET /api/tasks/{taskId}' | 'POST /api/tasks';

/** What one measurement found. */
export interface Measurement {
  readonly rps: number;
  /** Requests answered during the run. */
  readonly requests: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** How long, how hard and as whom one measurement drives a workload; `path` replaces the workload's own. */
export interface LoadOptions {
  readonly seconds: number;
  readonly connections: number;
  readonly token: string;
  readonly taskId: string;
  readonly path?: string;
}

/** The URL a workload's requests go to. */
export const targetOf = (url: string, workload: Workload, options: LoadOptions): string =>
  url + (options.path ?? (workload.startsWith('GET') ? `/api/tasks/${options.taskId}` : '/api/tasks'));

/** Runs a workload for `seconds` with `connections` and returns throughput and latency. */
export async function measure(
  url: string,
  workload: Workload,
  options: LoadOptions,
): Promise<Measurement> {
  const get = workload.startsWith('GET');
  const result = await autocannon({
    url: targetOf(url, workload, options),
    method: get ? 'GET' : 'POST',
    connections: options.connections,
    duration: options.seconds,
    headers: {
      origin: BENCH_ORIGIN,
      authorization: `Bearer ${options.token}`,
      ...(get ? {} : { 'content-type': 'application/json' }),
    },
    body: get ? undefined : CREATE_BODY,
  });
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
