/**
 * `npm run bench:scaling [-- --quick]`: what scaling out costs and buys, side by side in one run.
 * 1. The rate-limit stage: specgate standalone (production, in-memory getTask handler) without
 *    limits, with getTask limited in memory, and limited through Redis, plus the metrics stage on
 *    its own, interleaved round by round on the servers' CPU (bench/servers/limited.ts): req/s,
 *    the ratio to the same pipeline without limits, and server CPU µs per request; and the metrics
 *    stage alone, in nanoseconds per request (bench/metrics-cost.ts).
 * 2. WORKERS=1 against WORKERS=2: the compiled server (`node dist/src/main.js`) on PostgreSQL, not
 *    pinned (on a 2-core machine the load generator, PostgreSQL and the workers share both CPUs).
 * Writes its section of docs/performance.md (bench/section.ts).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { withClient } from '../src/testing/database.js';
import { compileBench, compiled } from './compile.js';
import { cpuMicros, pinSelf, start, stop, type Contender, type Running } from './contenders.js';
import { BENCH_ORIGIN, BENCH_SECRET, benchToken, CREATE_BODY, TASK_ID } from './fixtures.js';
import { median } from './load.js';
import { measureWrk } from './wrk.js';
import { writeSection } from './section.js';
import { freePort, tree } from './startup.js';
import { startOwnRedis } from '../src/testing/redis.js';

const quick = process.argv.includes('--quick');
/** `--limits-only`: the rate-limit rows alone, printed and not written (to try a change to a store). */
const limitsOnly = process.argv.includes('--limits-only');
const ROUNDS = quick ? 1 : 5;
const SECONDS = quick ? 2 : 5;
const CONNECTIONS = 50;
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const workload = 'GET /api/tasks/{taskId}' as const;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

interface Sample {
  readonly rps: number;
  readonly cpuUs: number;
  /** CPU µs per request of the `other` process over the same seconds (Redis), when one is given. */
  readonly otherCpuUs?: number;
}

/** Measures `url` once after a 1 s warm-up; CPU is summed over `pids()` (a server, or a primary and its workers). */
async function sample(url: string, token: string, pids: () => number[], path?: string, other?: number): Promise<Sample> {
  await measureWrk(url, workload, { seconds: 1, connections: CONNECTIONS, token, taskId: TASK_ID, path });
  const cpu = () => pids().reduce((sum, pid) => sum + (cpuMicros(pid) || 0), 0);
  const before = cpu();
  const otherBefore = other === undefined ? 0 : cpuMicros(other);
  const m = await measureWrk(url, workload, { seconds: SECONDS, connections: CONNECTIONS, token, taskId: TASK_ID, path });
  if (m.non2xx > 0 || m.errors > 0) throw new Error(`${url}${path ?? ''}: ${m.non2xx} non-2xx, ${m.errors} errors`);
  const otherCpuUs = other === undefined ? undefined : (cpuMicros(other) - otherBefore) / m.requests;
  return { rps: m.rps, cpuUs: (cpu() - before) / m.requests, otherCpuUs };
}

const summary = (list: readonly Sample[]): Sample => ({ rps: median(list.map((s) => s.rps)), cpuUs: median(list.map((s) => s.cpuUs)) });

/** Starts `node dist/src/main.js` with `workers` and resolves once /livez answers on every worker (polled on fresh connections). */
async function startServer(workers: number, databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const env = { NODE_ENV: 'production', JWT_SECRET: BENCH_SECRET, CORS_ORIGINS: BENCH_ORIGIN, LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', WORKERS: String(workers) };
  const child = spawn(process.execPath, ['dist/src/main.js'], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  // Every worker is up once the process tree holds them all (a primary has one child per worker) and /livez answers.
  for (;;) {
    const up = await fetch(`${url}/livez`).then((r) => r.ok, () => false);
    if (up && (workers === 1 || tree(child.pid!).length > workers)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Workers listen a moment after they exist: give the last one time to join the round robin.
  await new Promise((resolve) => setTimeout(resolve, workers === 1 ? 0 : 1500));
  return { url, child };
}

async function stopServer(child: ChildProcess) {
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await gone;
}

const limiterContenders: Contender[] = [
  { name: 'off', label: 'no rate limit (RATE_LIMITS=off)', script: 'bench/servers/limited.ts', args: ['off'] },
  { name: 'memory', label: 'getTask limited, in-memory store', script: 'bench/servers/limited.ts', args: ['memory'] },
  { name: 'redis', label: 'getTask limited, Redis store (127.0.0.1:6379)', script: 'bench/servers/limited.ts', args: ['redis'] },
  { name: 'metrics', label: 'no rate limit, metrics stage on (METRICS_PORT)', script: 'bench/servers/limited.ts', args: ['metrics'] },
];

/** A limiter row: medians, and the medians of the per-round ratio and difference to the unlimited pipeline. */
interface Paired extends Sample {
  readonly ratio: number;
  readonly addedCpuUs: number;
}

/** The limiter rows, and Redis's own CPU µs per request of the Redis row. */
async function limiterRows(token: string): Promise<{ samples: Map<string, Paired>; redisCpuUs: number }> {
  // A Redis of the run's own, started after pinSelf(), so it shares the load generator's CPU, not the servers'.
  const redis = await startOwnRedis();
  const running: Running[] = [];
  const redisCpu: number[] = [];
  const samples = new Map<string, Sample[]>();
  try {
    for (const contender of limiterContenders) running.push(await start({ ...contender, env: { BENCH_REDIS_URL: redis.url } }));
    for (let round = 1; round <= ROUNDS; round++) {
      // Each round starts with a different contender, so none always follows the same one.
      const order = running.map((_, i) => running[(i + round - 1) % running.length]!);
      for (const r of order) {
        const s = await sample(r.url, token, () => [r.child.pid!], undefined, r.contender.name === 'redis' ? redis.pid : undefined);
        if (s.otherCpuUs !== undefined) redisCpu.push(s.otherCpuUs);
        samples.set(r.contender.name, [...(samples.get(r.contender.name) ?? []), s]);
        const redisShare = s.otherCpuUs === undefined ? '' : ` (Redis ${s.otherCpuUs.toFixed(1)})`;
        process.stdout.write(`round ${round} ${r.contender.name.padEnd(8)} ${Math.round(s.rps)} req/s ${s.cpuUs.toFixed(1)} CPU µs/req${redisShare}\n`);
      }
    }
  } finally {
    for (const r of running) await stop(r);
    await redis.stop();
  }
  // Each contender against the unlimited pipeline of the same round, then the median over rounds:
  // a round's contenders run seconds apart, so slower drifts of a shared machine cancel out.
  const offs = samples.get('off')!;
  const paired = new Map(
    [...samples].map(([name, list]) => [
      name,
      { ...summary(list), ratio: median(list.map((s, i) => s.rps / offs[i]!.rps)), addedCpuUs: median(list.map((s, i) => s.cpuUs - offs[i]!.cpuUs)) },
    ]),
  );
  return { samples: paired, redisCpuUs: median(redisCpu) };
}

async function workerRows(token: string): Promise<Map<string, Sample>> {
  const name = `specgate_bench_workers_${process.pid}`;
  await withClient((c) => c.query(`CREATE DATABASE ${name}`), PG_URL);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const samples = new Map<string, Sample[]>();
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const workers of [1, 2]) {
        const server = await startServer(workers, url.toString());
        try {
          const created = await fetch(`${server.url}/api/tasks`, { method: 'POST', headers: { origin: BENCH_ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: CREATE_BODY });
          const taskId = ((await created.json()) as { id: string }).id;
          for (const [what, path] of [['livez', '/livez'], ['getTask', `/api/tasks/${taskId}`]] as const) {
            const s = await sample(server.url, token, () => tree(server.child.pid!), path);
            const key = `${workers}|${what}`;
            samples.set(key, [...(samples.get(key) ?? []), s]);
            process.stdout.write(`round ${round} WORKERS=${workers} ${what.padEnd(8)} ${Math.round(s.rps)} req/s ${s.cpuUs.toFixed(1)} CPU µs/req\n`);
          }
        } finally {
          await stopServer(server.child);
        }
      }
    }
  } finally {
    await withClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), PG_URL);
  }
  return new Map([...samples].map(([key, list]) => [key, summary(list)]));
}

execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { stdio: 'inherit' });
await compileBench();
const token = await benchToken();
const loadBefore = loadavg()[0]!;
const started = new Date();
const stageCost = JSON.parse(execFileSync(process.execPath, [compiled('bench/metrics-cost.ts')], { encoding: 'utf8' })) as { withStage: number; without: number };
const workers = limitsOnly ? new Map<string, Sample>() : await workerRows(token);
// The limiter rows pin the servers to one CPU and the load generator to the other, as `npm run bench` does.
pinSelf();
const { samples: limiters, redisCpuUs } = await limiterRows(token);
if (limitsOnly) process.exit(0);
const loadAfter = loadavg()[0]!;

const limiterLine = (name: string, target?: number) => {
  const s = limiters.get(name)!;
  const verdict = target === undefined ? '—' : 1 - s.ratio <= target ? `met (≤ ${target * 100}%)` : `not met (≤ ${target * 100}%)`;
  return `| ${limiterContenders.find((c) => c.name === name)!.label} | ${fmt(s.rps)} | ${fmt(s.ratio, 3)} | ${fmt(s.cpuUs, 1)} | ${name === 'off' ? '—' : fmt(s.addedCpuUs, 1)} | ${verdict} |`;
};
const workerLine = (what: string, label: string) => {
  const [one, two] = [workers.get(`1|${what}`)!, workers.get(`2|${what}`)!];
  return `| ${label} | ${fmt(one.rps)} | ${fmt(two.rps)} | **${fmt(two.rps / one.rps, 2)}×** | ${fmt(one.cpuUs, 1)} | ${fmt(two.cpuUs, 1)} |`;
};
const section = [
  '<!-- scaling:start -->',
  '## Scaling out: rate limits, metrics, WORKERS (`npm run bench:scaling`)',
  '',
  `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${ROUNDS} round(s) of ${SECONDS} s per cell after a 1 s warm-up, ${CONNECTIONS} connections,`,
  `medians${quick ? ' (**--quick run: indicative only**)' : ''}. One-minute load average at the start and end of the run: ${fmt(loadBefore, 2)} and ${fmt(loadAfter, 2)} on a`,
  'shared 2-core machine; above 2, other jobs share the CPUs and every figure is inflated and noisy.',
  '',
  `**The rate-limit stage.** \`${workload}\` with a bearer token and an allowed Origin on specgate standalone`,
  '(production, in-memory handler), with getTask given a `by: caller` limit of 1,000,000 a minute so every',
  'request pays for a decision and none is refused. The four servers run side by side, pinned to one CPU,',
  'interleaved round by round (each round starting with the next one); wrk (one thread) runs on the',
  'other. Server CPU counts the specgate process only. req/s and CPU are medians over rounds; "÷ no limit"',
  'and "added µs/req" are medians of each round\'s ratio and difference to the unlimited pipeline.',
  '',
  '| pipeline | req/s | ÷ no limit | server CPU µs/req | added µs/req | target |',
  '|---|---|---|---|---|---|',
  limiterLine('off'),
  limiterLine('memory', 0.05),
  limiterLine('redis', 0.25),
  limiterLine('metrics'),
  '',
  `Redis is a server of the run's own, on the load generator's CPU; it spent **${fmt(redisCpuUs, 1)} µs** of its own CPU per request of`,
  'the Redis row. The decisions asked for in one turn of the event loop go to Redis as one EVALSHA of a',
  'batch script (src/limits/redis-store.ts, src/limits/gcra.ts), so under load one round trip and one',
  'script run serve many requests; the in-memory store is one Map read and write.',
  '',
  `The metrics stage alone, timed on a million simulated getTask responses (bench/metrics-cost.ts): **${fmt(stageCost.withStage - stageCost.without)} ns**`,
  `of CPU per request (${fmt(stageCost.withStage)} ns with it, ${fmt(stageCost.without)} ns for the same loop without it): below what the load test above can resolve.`,
  '',
  '**WORKERS=2 against WORKERS=1.** The compiled server (`node dist/src/main.js`, production) on',
  'PostgreSQL, not pinned: the workers, the primary, PostgreSQL and wrk share both CPUs. CPU µs',
  'per request is summed over the primary and its workers.',
  '',
  '| workload | WORKERS=1 req/s | WORKERS=2 req/s | 2 ÷ 1 | CPU µs/req, 1 | CPU µs/req, 2 |',
  '|---|---|---|---|---|---|',
  workerLine('livez', '`GET /livez` (no database)'),
  workerLine('getTask', '`GET /api/tasks/{taskId}` (PostgreSQL)'),
  '',
  'On this machine a second worker can only have the CPU that wrk, PostgreSQL and the primary',
  '(which accepts every connection and passes it on) leave free, so 2 ÷ 1 says little about a machine',
  'where the workers do not share two cores with the load generator and the database; measure there before',
  'choosing WORKERS. No target was set for this row.',
  '<!-- scaling:end -->',
].join('\n');
if (!quick) writeSection('scaling', section);
process.stdout.write(`${section}\n`);
