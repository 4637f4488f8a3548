/**
 * `npx tsx bench/gateway-profile.ts [seconds] [--connections n] [--keep file.cpuprofile]`: where the gateway's CPU time goes. Runs the bench
 * upstream and specgate's gateway (bench/gateway/specgate.ts, compiled) under `node --cpu-prof`
 * (100 µs sampling), drives `GET /api/tasks/{taskId}` with wrk at 50 connections (or `--connections`), and attributes each
 * busy sample of the measured window twice: to the library or Node module of its innermost frame
 * (self time), and to the innermost source file of ours on its stack (inclusive of the libraries it
 * calls). Prints two markdown tables with shares and µs per request (scaled to /proc CPU time).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { compileBench, compiled } from './compile.js';
import { BENCH_ROOT, ownerOf, profileIndex, type Profile } from './cpu-profile.js';
import { cpuMicros, LOAD_CPU, pinSelf, SERVER_CPU, start, stop } from './contenders.js';
import { benchToken, TASK_ID } from './fixtures.js';
import { measureWrk } from './wrk.js';


const seconds = Number(process.argv[2] ?? 5);
/** `--connections <n>`: wrk's connections (50 by default). */
const connections = process.argv.includes('--connections') ? Number(process.argv[process.argv.indexOf('--connections') + 1]) : 50;
/** `--keep <file>`: also copy the raw .cpuprofile there (for Chrome DevTools or a stack query). */
const keep = process.argv.includes('--keep') ? process.argv[process.argv.indexOf('--keep') + 1] : undefined;

function attribute(profile: Profile, fromUs: number, toUs: number) {
  const { byId, parent } = profileIndex(profile);
  const self = new Map<string, number>();
  const ours = new Map<string, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < fromUs || t > toUs) continue;
    const leaf = byId.get(profile.samples[i]!)!.callFrame;
    const owner = ownerOf(leaf.url, leaf.functionName);
    if (owner === 'idle') continue;
    self.set(owner, (self.get(owner) ?? 0) + 1);
    let file = 'no file of ours on the stack (HTTP parser, sockets, timers, GC)';
    for (let at: number | undefined = profile.samples[i]; at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)!.callFrame.url;
      const relative = url.startsWith(BENCH_ROOT) ? url.slice(BENCH_ROOT.length) : '';
      if (/^(src|bench)\//.test(relative)) {
        file = relative.replace(/\.js$/, '');
        break;
      }
    }
    ours.set(file, (ours.get(file) ?? 0) + 1);
  }
  return { self, ours };
}

pinSelf();
await compileBench();
const token = await benchToken();
const upstream = await start({ name: 'upstream', label: 'upstream', script: 'bench/gateway/upstream.ts' });
spawnSync('taskset', ['-a', '-p', '-c', LOAD_CPU, String(upstream.child.pid)], { stdio: 'ignore' });
const dir = mkdtempSync(join(tmpdir(), 'specgate-gwprof-'));
const child = spawn('taskset', ['-c', SERVER_CPU, process.execPath, '--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, compiled('bench/gateway/specgate.ts'), upstream.url], {
  env: { ...process.env, NODE_ENV: 'production' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve) =>
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const m = /^ready (\d+)/.exec(line);
    if (m) resolve(`http://127.0.0.1:${m[1]}`);
  }),
);
const workload = 'GET /api/tasks/{taskId}' as const;
await measureWrk(url, workload, { seconds: 2, connections: 50, token, taskId: TASK_ID });
const cpu0 = cpuMicros(child.pid);
const from = Number(process.hrtime.bigint() / 1000n);
const m = await measureWrk(url, workload, { seconds, connections, token, taskId: TASK_ID });
const to = Number(process.hrtime.bigint() / 1000n);
const cpuUs = (cpuMicros(child.pid) - cpu0) / m.requests;
const exited = new Promise((resolve) => child.once('exit', resolve));
child.kill('SIGINT');
await exited;
await stop(upstream);
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
if (keep) copyFileSync(join(dir, file), keep);
const { self, ours } = attribute(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile, from, to);
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`Profiled ${new Date().toISOString()}: ${workload} through the gateway, ${seconds} s, ${connections} connections, ${m.requests} requests, ${cpuUs.toFixed(1)} CPU µs/request under the profiler.\n`);
for (const [title, counts] of [['Self time by library / Node module / file of ours', self], ['Inclusive time by the innermost file of ours on the stack', ours]] as const) {
  const busy = [...counts.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(`\n**${title}**\n\n| where | share of busy samples | µs per request |\n|---|---|---|\n`);
  for (const [k, n] of [...counts.entries()].sort((x, y) => y[1] - x[1]).slice(0, 25)) {
    process.stdout.write(`| ${k} | ${((100 * n) / busy).toFixed(1)} % | ${((cpuUs * n) / busy).toFixed(1)} |\n`);
  }
}
