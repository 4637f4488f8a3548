/**
 * `npx tsx bench/tracing-profile.ts [ratio|off] [seconds] [get|post]`: where a traced request's CPU
 * time goes. Runs the bench's specgate (in-memory Tasks handler, production, compiled) under
 * `node --cpu-prof` (100 µs sampling) with tracing at OTEL_TRACES_SAMPLER_ARG=`ratio` (default 1,
 * every span; `off` leaves OTEL_* unset), exporting to an OTLP sink in this process, loads it with
 * wrk, and prints the busy samples of the measured window by library / Node module / file of ours
 * and by function (self time), scaled to the CPU µs per request /proc reports for the window.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { compileBench, compiled } from './compile.js';
import { ownerOf, type Profile, type ProfileNode as Node } from './cpu-profile.js';
import { cpuMicros, pinSelf, SERVER_CPU } from './contenders.js';
import { benchToken, TASK_ID } from './fixtures.js';
import type { Workload } from './load.js';
import { measureWrk } from './wrk.js';


const ratio = process.argv[2] ?? '1';
const seconds = Number(process.argv[3] ?? 5);
const workload: Workload = process.argv[4] === 'post' ? 'POST /api/tasks' : 'GET /api/tasks/{taskId}';

/** Busy samples of [fromUs, toUs] by owner and by function. */
function attribute(profile: Profile, fromUs: number, toUs: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < fromUs || t > toUs) continue;
    const { functionName, url, lineNumber } = byId.get(profile.samples[i]!)!.callFrame;
    if (functionName === '(idle)') continue;
    const owner = ownerOf(url, functionName);
    add(owners, owner);
    add(functions, `${functionName || '(anonymous)'} (${owner}:${lineNumber + 1})`);
  }
  return { owners, functions };
}

pinSelf();
await compileBench();
let spans = 0;
const sink = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    spans++;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
}).listen(0, '127.0.0.1');
await new Promise((resolve) => sink.once('listening', resolve));
const otel = ratio === 'off' ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`, OTEL_TRACES_SAMPLER_ARG: ratio };
const token = await benchToken();
const dir = mkdtempSync(join(tmpdir(), 'specgate-traceprof-'));
const child = spawn('taskset', ['-c', SERVER_CPU, process.execPath, '--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, compiled('bench/servers/specgate.ts'), 'memory'], {
  env: { ...process.env, NODE_ENV: 'production', ...otel },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve) =>
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const m = /^ready (\d+)/.exec(line);
    if (m) resolve(`http://127.0.0.1:${m[1]}`);
  }),
);
const options = { connections: 50, token, taskId: TASK_ID };
await measureWrk(url, workload, { ...options, seconds: 5 });
const cpu0 = cpuMicros(child.pid);
const from = Number(process.hrtime.bigint() / 1000n);
const m = await measureWrk(url, workload, { ...options, seconds });
const to = Number(process.hrtime.bigint() / 1000n);
const cpuUs = (cpuMicros(child.pid) - cpu0) / m.requests;
const exited = new Promise((resolve) => child.once('exit', resolve));
child.kill('SIGTERM');
await exited;
sink.close();
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
const { owners, functions } = attribute(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile, from, to);
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${workload}, OTEL_TRACES_SAMPLER_ARG=${ratio}, ${seconds} s, ${m.requests} requests, ${cpuUs.toFixed(1)} CPU µs/request under the profiler, ${spans} exports.\n`);
for (const [title, counts, rows] of [['Self time by library / Node module / file of ours', owners, 80], ['Self time by function', functions, 40]] as const) {
  const busy = [...counts.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(`\n**${title}**\n\n| where | share of busy samples | µs per request |\n|---|---|---|\n`);
  for (const [k, n] of [...counts.entries()].sort((x, y) => y[1] - x[1]).slice(0, rows)) {
    process.stdout.write(`| ${k} | ${((100 * n) / busy).toFixed(1)} % | ${((cpuUs * n) / busy).toFixed(2)} |\n`);
  }
}
