/**
 * `npx tsx bench/gateway-ab.ts <git-ref> [rounds] [seconds] [--together]`: A/B of one gateway change. Compiles the
 * gateway bench (bench/gateway/specgate.ts) from `<git-ref>` and from the working tree, runs both
 * pinned to the servers' CPU in front of one upstream, alternating which side goes first each round,
 * and prints the median of the per-round ratios after ÷ before of server CPU µs per request.
 * `--together` loads both at once instead (wrk at 25 connections each, both gateways sharing the
 * servers' CPU), so that other work on a shared machine weighs on both sides of each round alike.
 * `--connections <n>`: wrk's connections per side when loaded together (25 by default; 10 to look at low concurrency).
 */
import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { compileBench } from './compile.js';
import { cpuMicros, LOAD_CPU, pinSelf, start, stop, type Running } from './contenders.js';
import { benchToken, TASK_ID } from './fixtures.js';
import { median } from './load.js';
import { measureWrk } from './wrk.js';

const together = process.argv.includes('--together');
const at = process.argv.indexOf('--connections');
const perSide = at > 0 ? Number(process.argv[at + 1]) : 25;
const [ref = 'HEAD', rounds = '7', seconds = '3'] = process.argv.slice(2).filter((a, i, all) => a !== '--together' && a !== '--connections' && all[i - 1] !== '--connections');
const before = mkdtempSync('node_modules/.cache/gw-ab-src-');
execSync(`git archive ${ref} src generated bench openapi.yaml docs/api.html | tar -x -C ${before}`);
const sides = { before: await compileBench('node_modules/.cache/gw-ab-before', before), after: await compileBench('node_modules/.cache/gw-ab-after') };
rmSync(before, { recursive: true, force: true });

pinSelf();
const token = await benchToken();
const upstream = await start({ name: 'upstream', label: 'upstream', script: 'bench/gateway/upstream.ts', build: sides.after });
spawnSync('taskset', ['-a', '-p', '-c', LOAD_CPU, String(upstream.child.pid)], { stdio: 'ignore' });
const running: Record<string, Running> = {};
for (const [side, out] of Object.entries(sides)) {
  running[side] = await start({ name: side, label: side, script: 'bench/gateway/specgate.ts', build: out, args: [upstream.url], env: { NODE_ENV: 'production' } });
}
const workload = 'GET /api/tasks/{taskId}' as const;
const cpu: Record<string, number[]> = { before: [], after: [] };
const rps: Record<string, number[]> = { before: [], after: [] };
const load = loadavg()[0]!;
for (const r of Object.values(running)) await measureWrk(r.url, workload, { seconds: 3, connections: 50, token, taskId: TASK_ID });
for (let round = 0; round < Number(rounds); round++) {
  if (together) {
    // Both loaded at once, sharing the servers' CPU: a burst of other work on the machine falls on both alike.
    const sides = Object.entries(running);
    const cpu0 = sides.map(([, r]) => cpuMicros(r.child.pid));
    const ms = await Promise.all(sides.map(([, r]) => measureWrk(r.url, workload, { seconds: Number(seconds), connections: perSide, token, taskId: TASK_ID })));
    sides.forEach(([side, r], i) => {
      cpu[side]!.push((cpuMicros(r.child.pid) - cpu0[i]!) / ms[i]!.requests);
      rps[side]!.push(ms[i]!.requests / Number(seconds));
    });
    continue;
  }
  const order = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
  for (const side of order) {
    const r = running[side]!;
    await measureWrk(r.url, workload, { seconds: 1, connections: 50, token, taskId: TASK_ID });
    const cpu0 = cpuMicros(r.child.pid);
    const m = await measureWrk(r.url, workload, { seconds: Number(seconds), connections: 50, token, taskId: TASK_ID });
    cpu[side]!.push((cpuMicros(r.child.pid) - cpu0) / m.requests);
    rps[side]!.push(m.requests / Number(seconds));
  }
}
for (const r of [...Object.values(running), upstream]) await stop(r);
const ratios = cpu.after!.map((a, i) => a / cpu.before![i]!);
process.stdout.write(
  `A/B ${ref} → working tree, ${rounds} rounds of ${seconds} s, ${together ? `both loaded at once, ${perSide} connections each` : '50 connections'}, load ${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}: ` +
    `before ${median(cpu.before!).toFixed(1)} µs/req ${median(rps.before!).toFixed(0)} req/s, after ${median(cpu.after!).toFixed(1)} µs/req ${median(rps.after!).toFixed(0)} req/s, median ratio after ÷ before ${median(ratios).toFixed(3)} (rounds: ${ratios.map((x) => x.toFixed(2)).join(' ')})\n`,
);
