/**
 * `npx tsx bench/ab.ts <git-ref> [rounds] [seconds]`: A/B of one change. Compiles specgate standalone
 * (production, in-memory handler) from `<git-ref>` and from the working tree, runs both pinned to the
 * servers' CPU, interleaved round by round, and prints the medians of server CPU µs per request and
 * req/s for GET and POST, and the median of the per-round after ÷ before ratios. Used for the before/after figures in docs/performance.md.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { compileBench } from './compile.js';
import { cpuMicros, pinSelf, start, stop, type Running } from './contenders.js';
import { benchToken, TASK_ID } from './fixtures.js';
import { median, type Workload } from './load.js';
import { measureWrk } from './wrk.js';

const [ref = 'HEAD', rounds = '5', seconds = '3'] = process.argv.slice(2);
const WORKLOADS: Workload[] = ['GET /api/tasks/{taskId}', 'POST /api/tasks'];
const before = mkdtempSync('node_modules/.cache/ab-src-');
execSync(`git archive ${ref} src generated bench openapi.yaml docs/api.html | tar -x -C ${before}`);
const sides = { before: await compileBench('node_modules/.cache/ab-before', before), after: await compileBench('node_modules/.cache/ab-after') };
rmSync(before, { recursive: true, force: true });

pinSelf();
const token = await benchToken();
const running: Record<string, Running> = {};
for (const [side, out] of Object.entries(sides)) {
  running[side] = await start({ name: side, label: side, script: 'bench/servers/specgate.ts', build: out, args: ['memory'], env: { NODE_ENV: 'production' } });
}
const samples = new Map<string, { cpu: number; rps: number }[]>();
const taskId = TASK_ID;
for (let round = 0; round < Number(rounds); round++) {
  for (const workload of WORKLOADS) {
    // The side loaded first alternates from round to round, so neither always follows the other.
    const order = Object.entries(running);
    for (const [side, r] of round % 2 === 0 ? order : order.reverse()) {
      await measureWrk(r.url, workload, { seconds: 1, connections: 50, token, taskId });
      const cpu0 = cpuMicros(r.child.pid);
      const m = await measureWrk(r.url, workload, { seconds: Number(seconds), connections: 50, token, taskId });
      const key = `${workload}|${side}`;
      samples.set(key, [...(samples.get(key) ?? []), { cpu: (cpuMicros(r.child.pid) - cpu0) / m.requests, rps: m.rps }]);
    }
  }
}
for (const r of Object.values(running)) await stop(r);
process.stdout.write(`A/B ${ref} → working tree, ${rounds} rounds of ${seconds} s, ${new Date().toISOString()}\n`);
for (const workload of WORKLOADS) {
  for (const side of Object.keys(sides)) {
    const list = samples.get(`${workload}|${side}`)!;
    process.stdout.write(`${workload.padEnd(24)} ${side.padEnd(6)} ${median(list.map((s) => s.cpu)).toFixed(1)} CPU µs/req  ${Math.round(median(list.map((s) => s.rps)))} req/s\n`);
  }
  // Each round loads the two sides back to back: the median of the per-round ratios is steadier than the ratio of the medians.
  const [b, a] = [samples.get(`${workload}|before`)!, samples.get(`${workload}|after`)!];
  const cpuRatios = a.map((s, i) => s.cpu / b[i]!.cpu);
  process.stdout.write(`${workload.padEnd(24)} after ÷ before, CPU µs/req: median ${median(cpuRatios).toFixed(3)}, rounds ${cpuRatios.map((r) => r.toFixed(2)).join(' ')}\n`);
}
