/**
 * `npm run bench [-- --quick]`: starts every contender pinned to CPU 0, loads each from this
 * process on CPU 1, interleaving contenders round by round, and reports medians and ratios to
 * bare node:http and bare Express. Writes bench/results.json and docs/performance.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pinSelf, peakRssMiB, start, stop, type Contender, type Running } from './contenders.js';
import { BENCH_ORIGIN, benchToken, CREATE_BODY } from './fixtures.js';
import { measure, median, type Measurement, type Workload } from './load.js';
import { writeReport, type Baseline, type ContenderResult } from './report.js';
import { runScaling } from './scaling.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 3;
const SECONDS = quick ? 1 : 5;
const CONNECTIONS = 50;
const WORKLOADS: Workload[] = ['GET /api/tasks/{taskId}', 'POST /api/tasks'];
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const contenders: Contender[] = [
  { name: 'node-http', label: '(a) bare node:http', script: 'bench/servers/bare-http.ts' },
  { name: 'express', label: '(b) bare Express 5 + cors + json', script: 'bench/servers/bare-express.ts' },
  { name: 'specgate', label: '(c) specgate, in-memory handler, production', script: 'bench/servers/specgate.ts', args: ['memory'], env: { NODE_ENV: 'production' } },
  { name: 'specgate-dev', label: '(c′) specgate, in-memory handler, response validation on', script: 'bench/servers/specgate.ts', args: ['memory'], env: { NODE_ENV: 'development' } },
  { name: 'specgate-pglite', label: '(d) specgate on PGlite, production', script: 'bench/servers/specgate.ts', args: ['pglite'], env: { NODE_ENV: 'production' } },
  { name: 'specgate-pg', label: '(d) specgate on PostgreSQL, production', script: 'bench/servers/specgate.ts', args: ['pg'], env: { NODE_ENV: 'production', TEST_DATABASE_URL: PG_URL } },
];

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
  const token = await benchToken();
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

  const samples = new Map<string, Measurement[]>();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const workload of WORKLOADS) {
      for (const r of running) {
        const taskId = taskIds.get(r.contender.name)!;
        await measure(r.url, workload, { seconds: 1, connections: CONNECTIONS, token, taskId }); // warm-up
        const m = await measure(r.url, workload, { seconds: SECONDS, connections: CONNECTIONS, token, taskId });
        if (m.non2xx > 0 || m.errors > 0) throw new Error(`${r.contender.name} ${workload}: ${m.non2xx} non-2xx, ${m.errors} errors`);
        const key = `${r.contender.name}|${workload}`;
        samples.set(key, [...(samples.get(key) ?? []), m]);
        process.stdout.write(`round ${round} ${workload.padEnd(24)} ${r.contender.name.padEnd(16)} ${Math.round(m.rps)} req/s p99 ${m.p99} ms\n`);
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
        return [w, { rps: median(list.map((m) => m.rps)), p50: median(list.map((m) => m.p50)), p99: median(list.map((m) => m.p99)) }];
      }),
    ),
  }));
  for (const r of running) await stop(r);

  const scaling = await runScaling({ quick, token });
  const meta = { date: new Date().toISOString(), rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, quick, node: process.version };
  writeFileSync('bench/results.json', `${JSON.stringify({ meta, results, scaling }, null, 2)}\n`);
  if (!quick) writeReport({ meta, results, scaling }, loadBaseline());
  process.stdout.write(quick ? 'bench --quick: the harness works (no report written).\n' : 'wrote docs/performance.md\n');
}

if (process.argv.includes('--report')) reportOnly();
else await main();
