/**
 * `npm run bench:gateway [-- --quick]`: gateway mode against the reverse proxies a team would
 * otherwise use, all in front of the same bare node:http upstream answering a fixed JSON task:
 * direct to the upstream, specgate's gateway (CORS + JWT + request validation + answer check), nginx
 * proxy_pass, Fastify + @fastify/http-proxy + @fastify/cors + a jose hook (the same checks but the
 * answer's), and Express + cors + http-proxy-middleware (CORS only), each configured as its docs
 * recommend for production. Proxies run on one CPU; the upstream and the load generator share the
 * other. Writes its section of docs/performance.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { compileBench } from './compile.js';
import { LOAD_CPU, pinSelf, start, stop, type Contender, type Running } from './contenders.js';
import { BENCH_ORIGIN, benchToken, TASK_ID } from './fixtures.js';
import { measure, type Measurement } from './load.js';
import { latency, type Latency } from './gateway/latency.js';
import { writeSection } from './section.js';

const quick = process.argv.includes('--quick');
const seconds = quick ? 2 : 10;
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
  { name: 'specgate', label: 'specgate gateway (CORS + JWT + request validation)', script: `${here}gateway/specgate.ts`, args: [upstream.url] },
  ...(hasNginx ? [{ name: 'nginx', label: 'nginx proxy_pass (keep-alive upstream)', script: `${here}gateway/nginx.ts`, args: [upstream.url] }] : []),
  { name: 'fastify-proxy', label: 'Fastify + @fastify/http-proxy + @fastify/cors + jose (CORS + JWT + route schema)', script: `${here}gateway/fastify-proxy.ts`, args: [upstream.url] },
  { name: 'express-hpm', label: 'Express 5 + cors + http-proxy-middleware (keep-alive agent; CORS only)', script: `${here}gateway/express-hpm.ts`, args: [upstream.url] },
];
if (!hasNginx) process.stderr.write('nginx is not installed, so its row is skipped. Install it with: sudo apt-get install -y nginx\n');

interface Row {
  readonly name: string;
  readonly label: string;
  readonly at: Record<number, Measurement>;
  /** Sub-millisecond latency at 10 connections (bench/gateway/latency.ts). */
  readonly fine: Latency;
}

async function bench(name: string, label: string, url: string): Promise<Row> {
  const check = await fetch(`${url}/api/tasks/${TASK_ID}`, { headers: { origin: BENCH_ORIGIN, authorization: `Bearer ${token}` } });
  if (check.status !== 200) throw new Error(`${name} answered ${check.status}: ${await check.text()}`);
  await measure(url, workload, { seconds: 1, connections: 10, token, taskId: TASK_ID });
  const at: Record<number, Measurement> = {};
  for (const connections of CONNECTIONS) at[connections] = await measure(url, workload, { seconds, connections, token, taskId: TASK_ID });
  const fine = await latency(url, `/api/tasks/${TASK_ID}`, { origin: BENCH_ORIGIN, authorization: `Bearer ${token}` }, 10, seconds);
  process.stdout.write(`${label}: ${CONNECTIONS.map((c) => `${c} conn ${Math.round(at[c]!.rps)} req/s p50 ${at[c]!.p50} ms`).join(', ')}; fine p50 ${fine.p50.toFixed(3)} ms\n`);
  return { name, label, at, fine };
}

const loadBefore = loadavg()[0]!;
const rows: Row[] = [await bench('direct', 'direct to the upstream', upstream.url)];
for (const contender of contenders) {
  let running: Running | undefined;
  try {
    running = await start(contender);
    rows.push(await bench(contender.name, contender.label, running.url));
  } finally {
    if (running) await stop(running);
  }
}
await stop(upstream);

const direct = rows[0]!;
const row = (name: string) => rows.find((r) => r.name === name);
const specgate = row('specgate')!;
const hpm = row('express-hpm')!;
const fastify = row('fastify-proxy')!;
const added = specgate.fine.p50 - direct.fine.p50;
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
const nginx = row('nginx');
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const lines = [
  '<!-- gateway:start -->',
  '## Gateway mode (`npm run bench:gateway`)',
  '',
  `In front of one bare node:http upstream answering a fixed JSON task, \`${workload}\` with a bearer`,
  'token and an allowed Origin. Proxies run pinned to one CPU; the upstream and autocannon share the',
  `other (2-core machine). ${seconds} s per cell after a 1 s warm-up, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}${quick ? ' (**--quick run: indicative only**)' : ''}.`,
  'specgate runs with production defaults (`UPSTREAM_RESPONSE_VALIDATION=report`: the answer is checked',
  'against its schema), so it verifies the JWT, validates the request, and checks the answer; Fastify +',
  '@fastify/http-proxy verifies the JWT (same token cache) and validates the path parameter and',
  'If-None-Match by route schema but does not check the answer; nginx and Express + http-proxy-middleware',
  'add CORS headers only. Every peer keeps its upstream connections alive in a pool.',
  `One-minute load average at the start and end of the run: ${fmt(loadBefore, 1)} and ${fmt(loadavg()[0]!, 1)} on 2 cores; above 2, other jobs share the CPUs and every figure below is inflated and noisy — rerun on a quiet machine before drawing conclusions.`,
  '',
  'Throughput and latency from autocannon (whole milliseconds):',
  '',
  '| contender | connections | req/s | p50 ms | p99 ms |',
  '|---|---|---|---|---|',
  ...rows.flatMap((r) => CONNECTIONS.map((c) => `| ${r.label} | ${c} | ${fmt(r.at[c]!.rps)} | ${fmt(r.at[c]!.p50)} | ${fmt(r.at[c]!.p99)} |`)),
  '',
  'Latency at 10 connections timed per request with hrtime (keep-alive undici clients, bench/gateway/latency.ts):',
  '',
  '| contender | p50 ms | p99 ms | added p50 ms |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.label} | ${fmt(r.fine.p50, 3)} | ${fmt(r.fine.p99, 3)} | ${r === direct ? '—' : fmt(r.fine.p50 - direct.fine.p50, 3)} |`),
  '',
  'Targets:',
  '',
  '| target | figure | verdict |',
  '|---|---|---|',
  ...(nginx
    ? ([[50, 0.8], [10, 0.7]] as const).map(([c, goal]) => {
        const ratio = specgate.at[c]!.rps / nginx.at[c]!.rps;
        return `| specgate ÷ nginx throughput at ${c} connections ≥ ${goal}× | ${fmt(ratio, 2)}× | ${verdict(ratio >= goal)} |`;
      })
    : ['| specgate ÷ nginx throughput | nginx not installed | not evaluated |']),
  `| added p50 at 10 connections ≤ 0.3 ms | ${fmt(added, 3)} ms | ${verdict(added <= 0.3)} |`,
  ...CONNECTIONS.map((c) => {
    const ratio = specgate.at[c]!.rps / fastify.at[c]!.rps;
    return `| specgate ÷ Fastify + @fastify/http-proxy (same checks) at ${c} connections ≥ 1.5× | ${fmt(ratio, 2)}× | ${verdict(ratio >= 1.5)} |`;
  }),
  ...CONNECTIONS.map((c) => `| specgate ÷ Express + http-proxy-middleware (CORS only) at ${c} connections | ${fmt(specgate.at[c]!.rps / hpm.at[c]!.rps, 2)}× | reported |`),
  '<!-- gateway:end -->',
];
const section = lines.join('\n');
if (!quick) writeSection('gateway', section);
process.stdout.write(`${section}\n`);
