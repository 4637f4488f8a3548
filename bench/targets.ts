/** The bench's targets as table rows: paired ratios of two contenders' rounds, and issue 25's standalone targets. */
import { median, type Workload } from './load.js';
import type { ContenderResult, WorkloadResult } from './report.js';

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const WORKLOADS: Workload[] = ['GET /api/tasks/{taskId}', 'POST /api/tasks'];
const short = (w: Workload) => w.split(' ')[0]!;

/**
 * `top ÷ bottom` of one figure: the median of the per-round ratios when both have rounds (the two
 * were loaded back to back in each round, bench/run.ts), else the ratio of the medians.
 */
export function paired(top: WorkloadResult | undefined, bottom: WorkloadResult | undefined, figure: 'rps' | 'p99' | 'cpuUs'): number {
  const a = top?.rounds;
  const b = bottom?.rounds;
  if (a && b && a.length === b.length && a.length > 0) return median(a.map((r, i) => r[figure] / b[i]![figure]));
  return (top?.[figure] ?? NaN) / (bottom?.[figure] ?? NaN);
}

/** Whether a measured value meets its target, in words. */
export const verdict = (value: number, op: '≥' | '≤', limit: number) =>
  !Number.isFinite(value) ? 'not measured' : (op === '≥' ? value >= limit : value <= limit) ? 'holds' : 'does not hold';
/** Markdown rows `| what | measured | required | verdict |`. */
export const targetRows = (rows: readonly (readonly [string, number, '≥' | '≤', number])[]) =>
  rows.map(([what, value, op, limit]) => `| ${what} | ${fmt(value, 2)} | ${op} ${limit} | ${verdict(value, op, limit)} |`);

/**
 * The standalone API's targets of issue 25 (item 3), evaluated on this run's figures: specgate
 * against Fastify + fastify-openapi-glue with a token cache, each the median of per-round ratios.
 */
export function standaloneTargets(run: { readonly results: readonly ContenderResult[] }): string {
  const get = (name: string, w: Workload) => run.results.find((r) => r.name === name)?.workloads[w];
  const rows: [string, number, '≥' | '≤', number][] = [];
  for (const w of WORKLOADS) {
    const ratio = (top: string, bottom: string, figure: 'rps' | 'p99' | 'cpuUs') => paired(get(top, w), get(bottom, w), figure);
    rows.push([`${short(w)}: (c) specgate ÷ (f) Fastify + glue, req/s`, ratio('specgate', 'fastify-glue', 'rps'), '≥', 1.2]);
    rows.push([`${short(w)}: (f) Fastify + glue ÷ (c) specgate, CPU µs per request`, ratio('fastify-glue', 'specgate', 'cpuUs'), '≥', 1.2]);
    rows.push([`${short(w)}: (c) specgate p99 ÷ (f) Fastify + glue p99`, ratio('specgate', 'fastify-glue', 'p99'), '≤', 1]);
  }
  return targetRows(rows).join('\n');
}
