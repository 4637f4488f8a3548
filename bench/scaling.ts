/**
 * Spec-size scaling: for synthetic specs of 10 to 5,000 operations, start-up time (spec load to
 * listening, and to the first served request), peak RSS, and throughput to the first and the
 * last declared operation.
 */
import { peakRssMiB, start, stop } from './contenders.js';
import { measure } from './load.js';
import { syntheticPath } from './synthetic-spec.js';

/** One spec size's figures. */
export interface ScalingResult {
  readonly operations: number;
  readonly startupMs: number;
  readonly firstRequestMs: number;
  readonly peakRssMiB: number;
  readonly firstRps: number;
  readonly lastRps: number;
}

/** Runs the scaling series; the quick variant only proves it works. */
export async function runScaling(options: { quick: boolean; token: string }): Promise<ScalingResult[]> {
  const sizes = options.quick ? [10, 100] : [10, 100, 1000, 5000];
  const seconds = options.quick ? 1 : 5;
  const results: ScalingResult[] = [];
  for (const n of sizes) {
    const running = await start({ name: `synthetic-${n}`, label: `${n} operations`, script: 'bench/servers/synthetic.ts', args: [String(n)] });
    const t0 = performance.now();
    const first = await fetch(running.url + syntheticPath(0), { headers: { authorization: `Bearer ${options.token}` } });
    if (first.status !== 200) throw new Error(`synthetic ${n}: first request answered ${first.status}`);
    const firstRequestMs = running.startupMs + (performance.now() - t0);
    const rps = async (i: number) => {
      await measure(running.url, 'GET /api/tasks/{taskId}', { seconds: 1, connections: 50, token: options.token, taskId: '', path: syntheticPath(i) });
      const m = await measure(running.url, 'GET /api/tasks/{taskId}', { seconds, connections: 50, token: options.token, taskId: '', path: syntheticPath(i) });
      if (m.non2xx > 0 || m.errors > 0) throw new Error(`synthetic ${n} op ${i}: ${m.non2xx} non-2xx, ${m.errors} errors`);
      return m.rps;
    };
    const firstRps = await rps(0);
    const lastRps = await rps(n - 1);
    results.push({ operations: n, startupMs: running.serverStartupMs ?? running.startupMs, firstRequestMs, peakRssMiB: peakRssMiB(running), firstRps, lastRps });
    process.stdout.write(`scaling ${n} ops: start ${Math.round(running.serverStartupMs ?? running.startupMs)} ms, first ${Math.round(firstRps)} req/s, last ${Math.round(lastRps)} req/s\n`);
    await stop(running);
  }
  return results;
}
