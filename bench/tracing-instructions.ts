/**
 * `npm run bench:tracing:instructions [-- --quick]`: what tracing costs in instructions per
 * request, a count the host's speed does not move (CPU time on this shared machine moves 20–50 %
 * between processes of the same build: docs/performance.md, "Tracing"). Each contender is the
 * bench's specgate (in-memory Tasks handler, production, compiled) run under
 * `valgrind --tool=callgrind` with instrumentation off while it warms up; then, for each round,
 * instrumentation goes on, the counters are zeroed, exactly N requests are sent (10 keep-alive
 * connections, every answer checked), and the counters are dumped: instructions ÷ N (the median of
 * 5 rounds: a round holding a mark-compact GC reads 20–60 % high), the main
 * thread and V8's helper threads together. Contenders: tracing off, on with nothing sampled
 * (ratio 0), the default parent-based sampler at 0.1, every span exported; each exports
 * OTLP/protobuf to a sink of its own in this process. With BENCH_TRACING_AB=<commit>, that
 * commit's ratio 0.1 and every-span run beside them. Needs valgrind (`apt-get install valgrind`).
 * Writes its table into docs/performance.md (section tracing-instructions; not with --quick or
 * BENCH_TRACING_AB).
 */
import { execFileSync, execSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { compileBench, compileCommit, compiled } from './compile.js';
import { LOAD_CPU, SERVER_CPU } from './contenders.js';
import { benchToken, BENCH_ORIGIN, CREATE_BODY, TASK_ID } from './fixtures.js';
import { median, type Workload } from './load.js';
import { writeSection } from './section.js';
import { startOtlpSink, type OtlpSink } from './otlp-sink.js';

const quick = process.argv.includes('--quick');
const WARM_UP = quick ? 2_000 : 30_000;
const PER_ROUND = quick ? 500 : 5_000;
const ROUNDS = quick ? 1 : 5;
const CONNECTIONS = 10;
const WORKLOADS: Workload[] = ['GET /api/tasks/{taskId}', 'POST /api/tasks'];
const AB_COMMIT = process.env.BENCH_TRACING_AB;
const AB_BUILD = 'node_modules/.cache/specgate-bench-tracing-ab';

interface Contender {
  readonly name: string;
  /** OTEL_TRACES_SAMPLER_ARG, or undefined for tracing off. */
  readonly ratio: string | undefined;
  readonly build?: string;
}

/** Sends exactly `n` requests of `workload` over CONNECTIONS connections; throws on any unexpected status. */
async function send(pool: Pool, workload: Workload, token: string, n: number): Promise<void> {
  let left = n;
  const post = workload === 'POST /api/tasks';
  const headers = { authorization: `Bearer ${token}`, origin: BENCH_ORIGIN, ...(post ? { 'content-type': 'application/json' } : {}) };
  const one = async () => {
    while (left-- > 0) {
      const res = await pool.request(post ? { path: '/api/tasks', method: 'POST', headers, body: CREATE_BODY } : { path: `/api/tasks/${TASK_ID}`, method: 'GET', headers });
      await res.body.dump();
      if (res.statusCode !== (post ? 201 : 200)) throw new Error(`${workload}: ${res.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, one));
}

/** The instruction total of one callgrind dump (its `summary:` or `totals:` line). */
function instructionsIn(file: string): number {
  const match = /^(?:summary|totals): (\d+)/m.exec(readFileSync(file, 'utf8'));
  if (!match) throw new Error(`no totals in ${file}`);
  return Number(match[1]);
}

/** Runs one contender under callgrind; returns instructions per request of each round, by workload. */
async function measure(contender: Contender, sink: OtlpSink | undefined, token: string): Promise<Map<Workload, number[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'specgate-callgrind-'));
  const env = { ...process.env, NODE_ENV: 'production', ...(contender.ratio === undefined ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: sink!.url, OTEL_TRACES_SAMPLER_ARG: contender.ratio }) };
  const valgrind = ['valgrind', '--tool=callgrind', '--smc-check=all-non-file', '--instr-atstart=no', `--callgrind-out-file=${dir}/out.%p`];
  const child = spawn('taskset', ['-c', SERVER_CPU, ...valgrind, process.execPath, compiled('bench/servers/specgate.ts', contender.build), 'memory'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const control = (...args: string[]) => execFileSync('callgrind_control', [...args, String(child.pid)], { stdio: 'ignore' });
  const pool = await new Promise<Pool>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${contender.name} exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^ready (\d+)/.exec(line);
      if (match) resolve(new Pool(`http://127.0.0.1:${match[1]}`, { connections: CONNECTIONS }));
    });
  });
  const counts = new Map<Workload, number[]>();
  try {
    for (const workload of WORKLOADS) await send(pool, workload, token, WARM_UP);
    let dumps = 0;
    // A workload's rounds run back to back (after a short warm-up of it again): alternating GET and
    // POST round by round made V8 recompile in each round and read up to 80 % high.
    for (const workload of WORKLOADS) {
      await send(pool, workload, token, PER_ROUND);
      for (let round = 0; round < ROUNDS; round++) {
        control('-i', 'on');
        control('-z');
        await send(pool, workload, token, PER_ROUND);
        control('-d');
        control('-i', 'off');
        dumps += 1;
        const file = join(dir, readdirSync(dir).find((f) => f.endsWith(`.${dumps}`))!);
        const perRequest = instructionsIn(file) / PER_ROUND;
        counts.set(workload, [...(counts.get(workload) ?? []), perRequest]);
        process.stdout.write(`${contender.name.padEnd(14)} ${workload.padEnd(24)} round ${round + 1}: ${Math.round(perRequest)} instructions/request\n`);
      }
    }
  } finally {
    await pool.close();
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
  return counts;
}

async function main() {
  execSync(`taskset -a -p -c ${LOAD_CPU} ${process.pid}`, { stdio: 'ignore' });
  await compileBench();
  if (AB_COMMIT !== undefined) await compileCommit(AB_COMMIT, AB_BUILD);
  const contenders: Contender[] = [
    { name: 'off', ratio: undefined },
    { name: 'ratio 0', ratio: '0' },
    { name: 'ratio 0.1', ratio: '0.1' },
    { name: 'every span', ratio: '1' },
    ...(AB_COMMIT === undefined ? [] : [{ name: `0.1 at ${AB_COMMIT}`, ratio: '0.1', build: AB_BUILD }, { name: `every at ${AB_COMMIT}`, ratio: '1', build: AB_BUILD }]),
  ];
  const token = await benchToken();
  const results = new Map<string, Map<Workload, number[]>>();
  for (const contender of contenders) {
    const sink = contender.ratio === undefined ? undefined : await startOtlpSink();
    try {
      results.set(contender.name, await measure(contender, sink, token));
    } finally {
      await sink?.close();
    }
  }
  const off = results.get('off')!;
  const cell = (name: string, w: Workload) => {
    const value = median(results.get(name)!.get(w)!);
    if (name === 'off') return `${Math.round(value)}`;
    const change = value / median(off.get(w)!) - 1;
    return `${Math.round(value)} (${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(1)} %)`;
  };
  const names = contenders.map((c) => c.name);
  const table = [
    `| workload | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---|').join('')}`,
    ...WORKLOADS.map((w) => `| ${w} | ${names.map((n) => cell(n, w)).join(' | ')} |`),
  ].join('\n');
  process.stdout.write(`\n${table}\n\nInstructions per request (median of ${ROUNDS} round(s) of ${PER_ROUND}, after ${WARM_UP} of each workload); change against off.\n`);
  if (quick || AB_COMMIT !== undefined) return;
  writeSection(
    'tracing-instructions',
    [
      '<!-- tracing-instructions:start -->',
      `Instructions per request under \`valgrind --tool=callgrind\` (\`npm run bench:tracing:instructions\`), the in-memory Tasks handler in production, every thread of the server process counted: after ${WARM_UP.toLocaleString('en')} requests of each workload with instrumentation off, ${ROUNDS} rounds of exactly ${PER_ROUND.toLocaleString('en')} requests per workload over ${CONNECTIONS} connections; medians, and the change against tracing off. Tracing contenders export OTLP/protobuf to a sink with the \`OTEL_BSP_*\` defaults. Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
      '',
      table,
      '<!-- tracing-instructions:end -->',
    ].join('\n'),
  );
}

await main();
