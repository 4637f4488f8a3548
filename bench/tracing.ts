/**
 * `npm run bench:tracing [-- --quick]`: what OpenTelemetry tracing costs, in server CPU µs per
 * request, as `npm run bench` measures it (wrk on CPU 1, the server pinned to CPU 0, the in-memory
 * Tasks handler, production). Four contenders: the build before tracing existed (BASE_COMMIT,
 * extracted with git archive and compiled the same way), this build with OTEL_* unset, tracing on
 * with the default parent-based ratio sampler at 0.1, and tracing on with every span exported.
 * Spans go as OTLP/protobuf to a sink in this process that counts the exports and their bytes. The machine is
 * shared and loaded: every contender is warmed up first, then loaded in turn, round after round
 * (the order reversed every other round), and each figure is the median of the per-round ratios.
 * Writes its section of docs/performance.md (bench/section.ts; not with --quick). (Loading two contenders at once on the same CPU was tried
 * and dropped: it gave figures no difference in the code explains, the old build at 2–4× the new.)
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileBench } from './compile.js';
import { writeSection } from './section.js';
import { cpuMicros, pinSelf, start, stop, type Contender, type Running } from './contenders.js';
import { benchToken, TASK_ID } from './fixtures.js';
import { median, type Workload } from './load.js';
import { measureWrk } from './wrk.js';

/** main when tracing work began: the "before" side. */
const BASE_COMMIT = process.env.BENCH_BASE_COMMIT ?? '0fbc871';
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 7;
const SECONDS = quick ? 1 : 3;
const WARM_UP_SECONDS = quick ? 1 : 8;
const CONNECTIONS = 50;
const WORKLOADS: Workload[] = ['GET /api/tasks/{taskId}', 'POST /api/tasks'];
const BASE_BUILD = 'node_modules/.cache/specgate-bench-base';

/** An OTLP sink: counts exports and their bytes, answers 200 (decoding would load the CPU wrk runs on). */
async function startSink() {
  let bytes = 0;
  let exports = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats: () => ({ bytes, exports }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Compiles the base commit's tree (src, generated, bench and their assets) beside this build's. */
async function compileBase(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'specgate-base-'));
  try {
    execSync(`git archive ${BASE_COMMIT} src generated bench openapi.yaml docs/api.html | tar -x -C ${dir}`, { stdio: 'inherit' });
    await compileBench(BASE_BUILD, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  pinSelf();
  await compileBench();
  // A clone without the base commit (shallow) still proves the harness with --quick, without the "before" side.
  const hasBase = await compileBase().then(
    () => true,
    (error: unknown) => {
      if (!quick) throw error;
      process.stdout.write(`no "before" contender: ${BASE_COMMIT} cannot be extracted (${(error as Error).message.split('\n')[0]})\n`);
      return false;
    },
  );
  const sink = await startSink();
  const server = { script: 'bench/servers/specgate.ts', args: ['memory'] } as const;
  const otel = (ratio: string) => ({
    NODE_ENV: 'production',
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    OTEL_TRACES_SAMPLER_ARG: ratio,
    OTEL_BSP_SCHEDULE_DELAY: '500',
    // Large enough that nothing is dropped at full load: every sampled span is exported and paid for.
    OTEL_BSP_MAX_QUEUE_SIZE: '100000',
  });
  const all: Contender[] = [
    { name: 'before', label: `before tracing (${BASE_COMMIT})`, ...server, env: { NODE_ENV: 'production' }, build: BASE_BUILD },
    { name: 'off', label: 'tracing off (OTEL_* unset)', ...server, env: { NODE_ENV: 'production' } },
    { name: 'ratio-0.1', label: 'tracing on, parentbased_traceidratio 0.1', ...server, env: otel('0.1') },
    { name: 'every-span', label: 'tracing on, every span exported', ...server, env: otel('1') },
  ];
  const contenders = all.filter((c) => hasBase || c.name !== 'before');
  const token = await benchToken();
  const running: Running[] = [];
  for (const contender of contenders) running.push(await start(contender));
  const byName = new Map(running.map((r) => [r.contender.name, r]));
  // The JIT takes its time, and longer with the SDK's code: every contender is warmed up well before the first round.
  for (const r of running) for (const workload of WORKLOADS) await measureWrk(r.url, workload, { seconds: WARM_UP_SECONDS, connections: CONNECTIONS, token, taskId: TASK_ID });
  const cpu = new Map<string, number[]>();
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const workload of WORKLOADS) {
        // Alternate the order each round, so neither side of a pair is always loaded first.
        const order = round % 2 === 1 ? running : [...running].reverse();
        for (const r of order) {
          const options = { seconds: SECONDS, connections: CONNECTIONS, token, taskId: TASK_ID };
          await measureWrk(r.url, workload, { ...options, seconds: 1 });
          const before = cpuMicros(r.child.pid);
          const m = await measureWrk(r.url, workload, options);
          if (m.non2xx > 0 || m.errors > 0 || m.requests === 0) throw new Error(`${r.contender.name} ${workload}: ${m.requests} requests, ${m.non2xx} non-2xx, ${m.errors} errors`);
          const us = (cpuMicros(r.child.pid) - before) / m.requests;
          const key = `${r.contender.name}|${workload}`;
          cpu.set(key, [...(cpu.get(key) ?? []), us]);
          process.stdout.write(`round ${round} ${workload.padEnd(24)} ${r.contender.name.padEnd(11)} ${Math.round(m.rps)} req/s ${us.toFixed(1)} CPU µs/req\n`);
        }
      }
    }
  } finally {
    for (const r of running) await stop(r);
    await sink.close();
  }
  const perRound = (b: string, a: string, w: Workload) => cpu.get(`${b}|${w}`)!.map((us, i) => us / cpu.get(`${a}|${w}`)![i]!);
  const pct = (x: number) => `${x >= 1 ? '+' : '−'}${Math.abs((x - 1) * 100).toFixed(1)} %`;
  const med = (name: string, w: Workload) => (cpu.has(`${name}|${w}`) ? median(cpu.get(`${name}|${w}`)!).toFixed(1) : '—');
  const ratio = (b: string, a: string, w: Workload) => (cpu.has(`${b}|${w}`) && cpu.has(`${a}|${w}`) ? pct(median(perRound(b, a, w))) : '—');
  const lines = [
    `| workload | before (µs) | off (µs) | ratio 0.1 (µs) | every span (µs) | off vs before | ratio 0.1 vs off | every span vs off |`,
    `|---|---|---|---|---|---|---|---|`,
    ...WORKLOADS.map((w) => `| ${w} | ${med('before', w)} | ${med('off', w)} | ${med('ratio-0.1', w)} | ${med('every-span', w)} | ${ratio('off', 'before', w)} | ${ratio('ratio-0.1', 'off', w)} | ${ratio('every-span', 'off', w)} |`),
  ];
  const { bytes, exports } = sink.stats();
  const section = [
    '<!-- tracing:start -->',
    '## Tracing (`npm run bench:tracing`)',
    '',
    `Server CPU µs per request of the in-memory Tasks handler (production), loaded by wrk: the build before tracing (${BASE_COMMIT}), this build with \`OTEL_*\` unset, with tracing on at the default parent-based sampler and \`OTEL_TRACES_SAMPLER_ARG=0.1\`, and with every span exported (OTLP/protobuf to a sink). ${ROUNDS} rounds of ${SECONDS} s after a ${WARM_UP_SECONDS} s warm-up of each contender, contenders in turn, the order reversed every other round; the percentages are medians of per-round ratios. Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs when it finished (${new Date().toISOString().slice(0, 10)}).`,
    '',
    ...lines,
    '<!-- tracing:end -->',
  ].join('\n');
  if (!quick) writeSection('tracing', section);
  process.stdout.write(`\n${lines.join('\n')}\n\n${ROUNDS} round(s) of ${SECONDS} s each, ${CONNECTIONS} connections, contenders in turn (order reversed every other round); medians of per-round ratios. The sink received ${exports} exports, ${(bytes / 1e6).toFixed(1)} MB.\n`);
}

await main();
