/**
 * `npm run bench [-- --quick]`: starts every contender pinned to CPU 0, loads each from this
 * process on CPU 1, interleaving contenders round by round, and reports medians and ratios to
 * bare node:http and bare Express (the targets: medians of per-round ratios of pairs loaded back to
 * back). Writes bench/results.json and docs/performance.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpuMicros, pinSelf, peakRssMiB, start, stop, type Contender, type Running } from './contenders.js';
import { BENCH_ORIGIN, benchToken, CREATE_BODY } from './fixtures.js';
import { median, type Measurement, type Workload } from './load.js';
import { measureWrk } from './wrk.js';
import { writeReport, type Baseline, type ContenderResult } from './report.js';
import { standaloneTargets } from './targets.js';
import { runScaling } from './scaling.js';
import { runStartup } from './startup.js';
import { compileBench } from './compile.js';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 5;
const SECONDS = quick ? 1 : 3;
const CONNECTIONS = 50;
const WORKLOADS: Workload[] = ['GET /api/tasks/{taskId}', 'POST /api/tasks'];
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const allContenders: Contender[] = [
  { name: 'node-http', label: '(a) bare node:http', script: 'bench/servers/bare-http.ts' },
  { name: 'express', label: '(b) bare Express 5 + cors + json', script: 'bench/servers/bare-express.ts' },
  { name: 'specgate', label: '(c) specgate standalone (node:http host), in-memory handler, production', script: 'bench/servers/specgate.ts', args: ['memory'], env: { NODE_ENV: 'production' } },
  { name: 'specgate-dev', label: '(c′) specgate standalone, in-memory handler, response validation on', script: 'bench/servers/specgate.ts', args: ['memory'], env: { NODE_ENV: 'development' }, fullOnly: true },
  { name: 'specgate-express', label: '(e) specgate in an Express 5 app (specgateExpress), in-memory handler, production', script: 'bench/servers/specgate.ts', args: ['memory', 'express'], env: { NODE_ENV: 'production' } },
  { name: 'fastify-glue', label: '(f) Fastify 5 + fastify-openapi-glue + @fastify/cors, jose with a verified-token cache', script: 'bench/servers/fastify-glue.ts' },
  { name: 'fastify-glue-nocache', label: '(f′) Fastify 5 + fastify-openapi-glue + @fastify/cors, jose verifying every request', script: 'bench/servers/fastify-glue.ts', args: ['no-cache'], fullOnly: true },
  { name: 'specgate-pglite', label: '(d) specgate on PGlite, production', script: 'bench/servers/specgate.ts', args: ['pglite'], env: { NODE_ENV: 'production' }, fullOnly: true },
  { name: 'specgate-pg', label: '(d) specgate on PostgreSQL, production', script: 'bench/servers/specgate.ts', args: ['pg'], env: { NODE_ENV: 'production', TEST_DATABASE_URL: PG_URL } },
];
const contenders = allContenders.filter((c) => !(quick && c.fullOnly));
/**
 * The order contenders are loaded in within a round: each pair the targets compare is loaded back
 * to back (Fastify and specgate, specgate and Express, Express and the adapter), so the burst of
 * noise a shared machine has now and then mostly falls on both loads of a pair.
 */
const LOAD_ORDER = ['fastify-glue', 'specgate', 'express', 'specgate-express', 'node-http', 'specgate-dev', 'fastify-glue-nocache', 'specgate-pglite', 'specgate-pg'];
const loadRank = (r: Running) => LOAD_ORDER.indexOf(r.contender.name);

async function taskIdOn(running: Running, token: string): Promise<string> {
  const res = await fetch(`${running.url}/api/tasks`, {
    method: 'POST',
    headers: { origin: BENCH_ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: CREATE_BODY,
  });
  if (res.status !== 201) throw new Error(`${running.contender.name}: POST /api/tasks answered ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}

/** `--report`: re-renders docs/performance.md from bench/results.json without measuring again. */
function reportOnly() {
  const run = JSON.parse(readFileSync('bench/results.json', 'utf8'));
  if (run.meta.quick) throw new Error('bench/results.json holds a --quick run; run `npm run bench` first');
  writeReport(run, loadBaseline());
  process.stdout.write('wrote docs/performance.md from bench/results.json\n');
}

function loadBaseline(): Baseline | undefined {
  const file = 'bench/baseline-library-stack.json';
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Baseline) : undefined;
}

async function main() {
  pinSelf();
  // The start-up cases run the compiled build.
  execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { stdio: 'inherit' });
  // Every contender runs compiled, under plain node (bench/compile.ts says why).
  await compileBench();
  const token = await benchToken();
  const loadBefore = loadavg()[0]!;
  const running: Running[] = [];
  for (const contender of contenders) {
    try {
      running.push(await start(contender));
    } catch (error) {
      process.stdout.write(`skipping ${contender.name}: ${(error as Error).message}\n`);
    }
  }
  const taskIds = new Map<string, string>();
  for (const r of running) taskIds.set(r.contender.name, await taskIdOn(r, token));

  const samples = new Map<string, (Measurement & { cpuUs: number })[]>();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const workload of WORKLOADS) {
      for (const r of [...running].sort((a, b) => loadRank(a) - loadRank(b))) {
        const taskId = taskIds.get(r.contender.name)!;
        await measureWrk(r.url, workload, { seconds: 1, connections: CONNECTIONS, token, taskId }); // warm-up
        const cpuBefore = cpuMicros(r.child.pid);
        const m = await measureWrk(r.url, workload, { seconds: SECONDS, connections: CONNECTIONS, token, taskId });
        const cpuUs = m.requests > 0 ? (cpuMicros(r.child.pid) - cpuBefore) / m.requests : Number.NaN;
        if (m.non2xx > 0 || m.errors > 0) throw new Error(`${r.contender.name} ${workload}: ${m.non2xx} non-2xx, ${m.errors} errors`);
        const key = `${r.contender.name}|${workload}`;
        samples.set(key, [...(samples.get(key) ?? []), { ...m, cpuUs }]);
        process.stdout.write(`round ${round} ${workload.padEnd(24)} ${r.contender.name.padEnd(20)} ${Math.round(m.rps)} req/s p99 ${m.p99} ms ${cpuUs.toFixed(1)} CPU µs/req\n`);
      }
    }
  }

  const results: ContenderResult[] = running.map((r) => ({
    name: r.contender.name,
    label: r.contender.label,
    startupMs: r.serverStartupMs ?? r.startupMs,
    peakRssMiB: peakRssMiB(r),
    workloads: Object.fromEntries(
      WORKLOADS.map((w) => {
        const list = samples.get(`${r.contender.name}|${w}`) ?? [];
        const rounds = list.map((m) => ({ rps: m.rps, p99: m.p99, cpuUs: m.cpuUs }));
        return [w, { rps: median(list.map((m) => m.rps)), p50: median(list.map((m) => m.p50)), p99: median(list.map((m) => m.p99)), cpuUs: median(list.map((m) => m.cpuUs)), rounds }];
      }),
    ),
  }));
  for (const r of running) await stop(r);

  const scaling = await runScaling({ quick, token });
  const startup = await runStartup({ runs: quick ? 1 : 5, databaseUrl: PG_URL, only: quick ? ['npm-start'] : undefined });
  const load = [loadBefore, loadavg()[0]!] as const;
  const meta = { date: new Date().toISOString(), rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, quick, node: process.version, load };
  writeFileSync('bench/results.json', `${JSON.stringify({ meta, results, scaling, startup }, null, 2)}\n`);
  if (!quick) writeReport({ meta, results, scaling, startup }, loadBaseline());
  else process.stdout.write(`issue 25 item 3 targets (one 1-s round each, indicative only):\n| target | measured | required | |\n|---|---|---|---|\n${standaloneTargets({ results })}\n`);
  process.stdout.write(quick ? 'bench --quick: the harness works (no report written).\n' : 'wrote docs/performance.md\n');
}

if (process.argv.includes('--report')) reportOnly();
else await main();
