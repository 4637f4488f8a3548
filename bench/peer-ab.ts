/**
 * `npx tsx bench/peer-ab.ts [rounds] [seconds]`: specgate standalone (production, in-memory handler)
 * side by side with the Fastify + fastify-openapi-glue contender (token cache) and bare node:http,
 * all compiled from the working tree and pinned to the servers' CPU, loaded back to back in every
 * round (the order turning round by round); prints each server's median CPU µs per request, req/s
 * and p99, and issue 25's ratios (Fastify ÷ specgate by CPU, specgate ÷ Fastify by req/s, p99
 * specgate ÷ Fastify) as medians of per-round ratios. Quicker than `npm run bench` when only this
 * comparison is wanted.
 */
import { compileBench } from './compile.js';
import { cpuMicros, pinSelf, start, stop, type Contender, type Running } from './contenders.js';
import { benchToken, TASK_ID } from './fixtures.js';
import { median, type Workload } from './load.js';
import { measureWrk } from './wrk.js';

const [rounds = '7', seconds = '3'] = process.argv.slice(2);
const WORKLOADS: Workload[] = ['GET /api/tasks/{taskId}', 'POST /api/tasks'];
const SERVERS: Contender[] = [
  { name: 'specgate', label: 'specgate', script: 'bench/servers/specgate.ts', args: ['memory'], env: { NODE_ENV: 'production' } },
  { name: 'fastify-glue', label: 'Fastify + glue', script: 'bench/servers/fastify-glue.ts' },
  { name: 'node-http', label: 'bare node:http', script: 'bench/servers/bare-http.ts' },
];

await compileBench();
pinSelf();
const token = await benchToken();
const running: Running[] = [];
for (const server of SERVERS) running.push(await start(server));
const samples = new Map<string, { cpu: number; rps: number; p99: number }[]>();
for (let round = 0; round < Number(rounds); round++) {
  for (const workload of WORKLOADS) {
    const order = round % 2 === 0 ? running : [...running].reverse();
    for (const r of order) {
      await measureWrk(r.url, workload, { seconds: 1, connections: 50, token, taskId: TASK_ID });
      const cpu0 = cpuMicros(r.child.pid);
      const m = await measureWrk(r.url, workload, { seconds: Number(seconds), connections: 50, token, taskId: TASK_ID });
      const key = `${workload}|${r.contender.name}`;
      samples.set(key, [...(samples.get(key) ?? []), { cpu: (cpuMicros(r.child.pid) - cpu0) / m.requests, rps: m.rps, p99: m.p99 }]);
    }
  }
}
for (const r of running) await stop(r);
process.stdout.write(`specgate, Fastify + glue and bare node:http, ${rounds} rounds of ${seconds} s, ${new Date().toISOString()}\n`);
for (const workload of WORKLOADS) {
  for (const r of running) {
    const list = samples.get(`${workload}|${r.contender.name}`)!;
    process.stdout.write(`${workload.padEnd(24)} ${r.contender.label.padEnd(15)} ${median(list.map((s) => s.cpu)).toFixed(1)} CPU µs/req  ${Math.round(median(list.map((s) => s.rps)))} req/s  p99 ${median(list.map((s) => s.p99)).toFixed(2)} ms\n`);
  }
  const [s, f] = [samples.get(`${workload}|specgate`)!, samples.get(`${workload}|fastify-glue`)!];
  const ratios = (value: (i: number) => number) => s.map((_, i) => value(i));
  const cpu = ratios((i) => f[i]!.cpu / s[i]!.cpu);
  const rps = ratios((i) => s[i]!.rps / f[i]!.rps);
  const p99 = ratios((i) => s[i]!.p99 / f[i]!.p99);
  process.stdout.write(`${workload.padEnd(24)} Fastify ÷ specgate, CPU: median ${median(cpu).toFixed(2)} (rounds ${cpu.map((x) => x.toFixed(2)).join(' ')})\n`);
  process.stdout.write(`${workload.padEnd(24)} specgate ÷ Fastify, req/s: median ${median(rps).toFixed(2)}; p99 specgate ÷ Fastify: median ${median(p99).toFixed(2)}\n`);
}
