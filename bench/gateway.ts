/**
 * `npm run bench:gateway [-- --quick]`: gateway mode against the reverse proxies a team would
 * otherwise use, all in front of the same bare node:http upstream answering a fixed JSON task:
 * direct to the upstream, specgate's gateway (CORS + JWT + request validation + answer check), nginx
 * proxy_pass, Fastify + @fastify/http-proxy + @fastify/cors + a jose hook (the same checks but the
 * answer's), and Express + cors + http-proxy-middleware (CORS only), each configured as its docs
 * recommend for production. Every contender is started first and warmed up; then the rounds load
 * them in turn (the order rotating each round), so a burst of other work on this shared machine
 * falls on all of them, and each target is the median of its per-round ratios. Proxies run on one
 * CPU; the upstream and wrk share the other. Writes its section of docs/performance.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { compileBench } from './compile.js';
import { LOAD_CPU, pinSelf, start, stop, treeCpuMicros, type Contender, type Running } from './contenders.js';
import { BENCH_ORIGIN, benchToken, TASK_ID } from './fixtures.js';
import { median, type Measurement } from './load.js';
import { latency, type Latency } from './gateway/latency.js';
import { writeSection } from './section.js';
import { measureWrk } from './wrk.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 3;
const seconds = quick ? 2 : 5;
/** Seconds of load each contender gets before the first round: V8 needs a few to optimise the gateway's hot path. */
const WARM_UP = quick ? 3 : 6;
const CONNECTIONS = [10, 50] as const;
// Scripts are named from the project root: start() runs each from the compiled bench (bench/compile.ts).
const here = 'bench/';
const workload = 'GET /api/tasks/{taskId}' as const;

pinSelf();
await compileBench();
const token = await benchToken();
const upstream = await start({ name: 'upstream', label: 'bare node:http upstream', script: `${here}gateway/upstream.ts` });
if (existsSync('/usr/bin/taskset')) spawnSync('taskset', ['-a', '-p', '-c', LOAD_CPU, String(upstream.child.pid)], { stdio: 'ignore' });

const hasNginx = existsSync('/usr/sbin/nginx');
const contenders: Contender[] = [
  { name: 'specgate', label: 'specgate gateway (CORS + JWT + request validation + answer check)', script: `${here}gateway/specgate.ts`, args: [upstream.url] },
  {
    name: 'specgate-pipelined',
    label: 'specgate gateway, `UPSTREAM_PIPELINING=8` (same checks; GETs pipelined upstream)',
    script: `${here}gateway/specgate.ts`,
    args: [upstream.url],
    env: { UPSTREAM_PIPELINING: '8' },
  },
  ...(hasNginx ? [{ name: 'nginx', label: 'nginx proxy_pass (keep-alive upstream)', script: `${here}gateway/nginx.ts`, args: [upstream.url] }] : []),
  { name: 'fastify-proxy', label: 'Fastify + @fastify/http-proxy + @fastify/cors + jose (CORS + JWT + route schema)', script: `${here}gateway/fastify-proxy.ts`, args: [upstream.url] },
  { name: 'express-hpm', label: 'Express 5 + cors + http-proxy-middleware (keep-alive agent; CORS only)', script: `${here}gateway/express-hpm.ts`, args: [upstream.url] },
];
if (!hasNginx) process.stderr.write('nginx is not installed, so its row is skipped. Install it with: sudo apt-get install -y nginx\n');

/** One contender's figures in one round. */
interface Cell extends Measurement {
  /** CPU µs per request of the contender's processes (the upstream's, for the direct row). */
  readonly cpuUs: number;
}

/** The share of one CPU the contender used during the cell, in %: well under 100 while wrk waits on it, it was kept from its CPU. */
const busyOf = (m: Cell) => (m.cpuUs * m.rps) / 1e4;
interface Row {
  readonly name: string;
  readonly label: string;
  readonly url: string;
  readonly pid: number | undefined;
  readonly at: Record<number, Cell[]>;
  /** Sub-millisecond latency at 10 connections per round (bench/gateway/latency.ts). */
  readonly fine: Latency[];
}

const loadBefore = loadavg()[0]!;
const running: Running[] = [];
const rows: Row[] = [{ name: 'direct', label: 'direct to the upstream', url: upstream.url, pid: upstream.child.pid, at: { 10: [], 50: [] }, fine: [] }];
try {
  for (const contender of contenders) {
    const r = await start(contender);
    running.push(r);
    rows.push({ name: contender.name, label: contender.label, url: r.url, pid: r.child.pid, at: { 10: [], 50: [] }, fine: [] });
  }
  for (const row of rows) {
    const check = await fetch(`${row.url}/api/tasks/${TASK_ID}`, { headers: { origin: BENCH_ORIGIN, authorization: `Bearer ${token}` } });
    if (check.status !== 200) throw new Error(`${row.name} answered ${check.status}: ${await check.text()}`);
    await measureWrk(row.url, workload, { seconds: WARM_UP, connections: 50, token, taskId: TASK_ID });
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = rows.map((_, i) => rows[(i + round) % rows.length]!);
    for (const row of order) {
      for (const connections of CONNECTIONS) {
        const cpu0 = treeCpuMicros(row.pid);
        const m = await measureWrk(row.url, workload, { seconds, connections, token, taskId: TASK_ID });
        row.at[connections]!.push({ ...m, cpuUs: (treeCpuMicros(row.pid) - cpu0) / m.requests });
      }
      row.fine.push(await latency(row.url, `/api/tasks/${TASK_ID}`, { origin: BENCH_ORIGIN, authorization: `Bearer ${token}` }, 10, seconds));
      const last = (c: number) => row.at[c]!.at(-1)!;
      process.stdout.write(`round ${round + 1} ${row.label}: ${CONNECTIONS.map((c) => `${c} conn ${Math.round(last(c).rps)} req/s p50 ${last(c).p50} ms ${last(c).cpuUs.toFixed(1)} CPU µs/req busy ${busyOf(last(c)).toFixed(0)} %`).join(', ')}; fine p50 ${row.fine.at(-1)!.p50.toFixed(3)} ms\n`);
    }
  }
} finally {
  for (const r of running) await stop(r);
  await stop(upstream);
}

const row = (name: string) => rows.find((r) => r.name === name);
const direct = row('direct')!;
const specgate = row('specgate')!;
const pipelined = row('specgate-pipelined')!;
const hpm = row('express-hpm')!;
const fastify = row('fastify-proxy')!;
const nginx = row('nginx');
/** The median over rounds of a per-round figure. */
const perRound = (f: (round: number) => number) => median(Array.from({ length: ROUNDS }, (_, i) => f(i)));
const rpsRatio = (a: Row, b: Row, c: number) => perRound((i) => a.at[c]![i]!.rps / b.at[c]![i]!.rps);
const cpuRatio = (a: Row, b: Row, c: number) => perRound((i) => b.at[c]![i]!.cpuUs / a.at[c]![i]!.cpuUs);
const added = (r: Row) => perRound((i) => r.fine[i]!.p50 - direct.fine[i]!.p50);
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const cell = (r: Row, c: number, f: (m: Cell) => number) => median(r.at[c]!.map(f));
const lines = [
  '<!-- gateway:start -->',
  '## Gateway mode (`npm run bench:gateway`)',
  '',
  `In front of one bare node:http upstream answering a fixed JSON task, \`${workload}\` with a bearer`,
  'token and an allowed Origin. Proxies run pinned to one CPU; the upstream and wrk (one thread) share the',
  `other (2-core machine). Every contender is started and warmed up (${WARM_UP} s at 50 connections) before the`,
  `first round; ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}, each loading every contender in turn (the order rotating), ${seconds} s per cell;`,
  `figures are medians over rounds, ratios medians of per-round ratios. ${new Date().toISOString().slice(0, 10)}, Node ${process.version}${quick ? ' (**--quick run: indicative only**)' : ''}.`,
  'specgate runs with production defaults (`UPSTREAM_RESPONSE_VALIDATION=report`: the answer is checked',
  'against its schema), so it verifies the JWT, validates the request, and checks the answer; Fastify +',
  '@fastify/http-proxy verifies the JWT (same token cache) and validates the path parameter and',
  'If-None-Match by route schema but does not check the answer; nginx and Express + http-proxy-middleware',
  'add CORS headers only. Every peer keeps its upstream connections alive in a pool. CPU µs per request',
  "is the proxy's own (nginx: master and worker; the direct row: the upstream's).",
  `One-minute load average at the start and end of the run: ${fmt(loadBefore, 1)} and ${fmt(loadavg()[0]!, 1)} on 2 cores; above 2, other jobs share the CPUs and the absolute figures below are inflated and noisy (the interleaved ratios much less so).`,
  "Busy is the share of its CPU the proxy used (CPU µs per request × req/s). A Node proxy that wrk keeps waiting on is near 100 %; well under it, other jobs held its CPU and the cell's req/s (and the req/s ratios of its round) say little, while CPU µs per request does not depend on it. nginx is the exception: it is fast enough that wrk and the upstream, sharing the other CPU, are its limit (the direct row's upstream is itself 55–60 % busy).",
  '',
  '| contender | connections | req/s | p50 ms | p99 ms | CPU µs/req | busy % (each round) |',
  '|---|---|---|---|---|---|---|',
  ...rows.flatMap((r) => CONNECTIONS.map((c) => `| ${r.label} | ${c} | ${fmt(cell(r, c, (m) => m.rps))} | ${fmt(cell(r, c, (m) => m.p50), 2)} | ${fmt(cell(r, c, (m) => m.p99), 2)} | ${fmt(cell(r, c, (m) => m.cpuUs), 1)} | ${r.at[c]!.map((m) => busyOf(m).toFixed(0)).join(' / ')} |`)),
  '',
  'Latency at 10 connections timed per request with hrtime (keep-alive undici clients, bench/gateway/latency.ts):',
  '',
  '| contender | p50 ms | p99 ms | added p50 ms |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.label} | ${fmt(median(r.fine.map((f) => f.p50)), 3)} | ${fmt(median(r.fine.map((f) => f.p99)), 3)} | ${r === direct ? '—' : fmt(added(r), 3)} |`),
  '',
  'Targets (issue 25):',
  '',
  '| target | figure | verdict |',
  '|---|---|---|',
  ...[specgate, pipelined].flatMap((sg) => {
    const who = sg === specgate ? 'specgate' : 'specgate with `UPSTREAM_PIPELINING=8`';
    return [
      ...(nginx
        ? ([[50, 0.8], [10, 0.7]] as const).map(([c, goal]) => {
            const ratio = rpsRatio(sg, nginx, c);
            return `| ${who} ÷ nginx throughput at ${c} connections ≥ ${goal}× | ${fmt(ratio, 2)}× (CPU per request: nginx ÷ specgate ${fmt(cpuRatio(sg, nginx, c), 2)}×) | ${verdict(ratio >= goal)} |`;
          })
        : [`| ${who} ÷ nginx throughput | nginx not installed | not evaluated |`]),
      `| ${who}: added p50 at 10 connections ≤ 0.3 ms | ${fmt(added(sg), 3)} ms${nginx ? ` (nginx ${fmt(added(nginx), 3)} ms)` : ''} | ${verdict(added(sg) <= 0.3)} |`,
      ...CONNECTIONS.map((c) => {
        const ratio = rpsRatio(sg, fastify, c);
        return `| ${who} ÷ Fastify + @fastify/http-proxy (same checks) at ${c} connections ≥ 1.5× | ${fmt(ratio, 2)}× (CPU per request: Fastify ÷ specgate ${fmt(cpuRatio(sg, fastify, c), 2)}×) | ${verdict(ratio >= 1.5)} |`;
      }),
    ];
  }),
  ...CONNECTIONS.map((c) => `| specgate ÷ Express + http-proxy-middleware (CORS only) at ${c} connections | ${fmt(rpsRatio(specgate, hpm, c), 2)}× | reported |`),
  '<!-- gateway:end -->',
];
const section = lines.join('\n');
if (!quick) writeSection('gateway', section);
process.stdout.write(`${section}\n`);
