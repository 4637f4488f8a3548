/**
 * `npm run bench:tracing [-- --quick]`: what OpenTelemetry tracing costs, in server CPU µs per
 * request, as `npm run bench` measures it (wrk on CPU 1, the server pinned to CPU 0, the in-memory
 * Tasks handler, production). Four contenders: the build before tracing existed (BASE_COMMIT,
 * extracted with git archive and compiled the same way), this build with OTEL_* unset, tracing on
 * with the default parent-based ratio sampler at 0.1, and tracing on with every span exported.
 * Each tracing contender exports OTLP/protobuf to a sink of its own in this process (bench/otlp-sink.ts)
 * with the OTEL_BSP_* defaults, as an operator runs it; the sink counts the spans, and the run
 * reports them against the requests served, so "every span" is shown to be every span. With
 * BENCH_TRACING_AB=<commit>, the two tracing contenders of that commit run beside them (what a
 * change to tracing bought, side by side). The machine is
 * shared and loaded: every contender is warmed up first, then loaded in turn, round after round
 * (the order reversed every other round), and each figure is the median of the per-round ratios.
 * Writes its figures into the tracing section of docs/performance.md (bench/section.ts; not with --quick or BENCH_TRACING_AB). (Loading two contenders at once on the same CPU was tried
 * and dropped: it gave figures no difference in the code explains, the old build at 2–4× the new.)
 */
import { cpus, loadavg } from 'node:os';
import { compileBench, compileCommit } from './compile.js';
import { writeSection } from './section.js';
import { cpuMicros, pinSelf, start, stop, type Contender, type Running } from './contenders.js';
import { benchToken, TASK_ID } from './fixtures.js';
import { median, type Workload } from './load.js';
import { startOtlpSink, type OtlpSink } from './otlp-sink.js';
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
/** An earlier tracing build to run beside this one (its ratio 0.1 and every-span contenders). */
const AB_COMMIT = process.env.BENCH_TRACING_AB;
const AB_BUILD = 'node_modules/.cache/specgate-bench-tracing-ab';

async function main() {
  pinSelf();
  await compileBench();
  // A clone without the base commit (shallow) still proves the harness with --quick, without the "before" side.
  if (AB_COMMIT !== undefined) await compileCommit(AB_COMMIT, AB_BUILD);
  const hasBase = await compileCommit(BASE_COMMIT, BASE_BUILD).then(
    () => true,
    (error: unknown) => {
      if (!quick) throw error;
      process.stdout.write(`no "before" contender: ${BASE_COMMIT} cannot be extracted (${(error as Error).message.split('\n')[0]})\n`);
      return false;
    },
  );
  const sinks = new Map<string, OtlpSink>();
  const server = { script: 'bench/servers/specgate.ts', args: ['memory'] } as const;
  // The OTEL_BSP_* defaults (5 s, batches of 512, a queue of 2048): the sink's span count shows nothing is dropped.
  const otel = async (name: string, ratio: string) => {
    const sink = await startOtlpSink();
    sinks.set(name, sink);
    return { NODE_ENV: 'production', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER_ARG: ratio };
  };
  const all: Contender[] = [
    { name: 'before', label: `before tracing (${BASE_COMMIT})`, ...server, env: { NODE_ENV: 'production' }, build: BASE_BUILD },
    { name: 'off', label: 'tracing off (OTEL_* unset)', ...server, env: { NODE_ENV: 'production' } },
    { name: 'ratio-0.1', label: 'tracing on, parentbased_traceidratio 0.1', ...server, env: await otel('ratio-0.1', '0.1') },
    { name: 'every-span', label: 'tracing on, every span exported', ...server, env: await otel('every-span', '1') },
  ];
  if (AB_COMMIT !== undefined) {
    all.push({ name: 'ab-ratio-0.1', label: `ratio 0.1 at ${AB_COMMIT}`, ...server, env: await otel('ab-ratio-0.1', '0.1'), build: AB_BUILD });
    all.push({ name: 'ab-every-span', label: `every span at ${AB_COMMIT}`, ...server, env: await otel('ab-every-span', '1'), build: AB_BUILD });
  }
  const contenders = all.filter((c) => hasBase || c.name !== 'before');
  /** Requests each contender answered (wrk's count, warm-ups included), for the sinks' span counts. */
  const served = new Map<string, number>();
  const load = async (r: Running, workload: Workload, seconds: number) => {
    const m = await measureWrk(r.url, workload, { seconds, connections: CONNECTIONS, token, taskId: TASK_ID });
    served.set(r.contender.name, (served.get(r.contender.name) ?? 0) + m.requests);
    return m;
  };
  const token = await benchToken();
  const running: Running[] = [];
  for (const contender of contenders) running.push(await start(contender));
  const byName = new Map(running.map((r) => [r.contender.name, r]));
  // The JIT takes its time, and longer with the SDK's code: every contender is warmed up well before the first round.
  for (const r of running) for (const workload of WORKLOADS) await load(r, workload, WARM_UP_SECONDS);
  const cpu = new Map<string, number[]>();
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const workload of WORKLOADS) {
        // Alternate the order each round, so neither side of a pair is always loaded first.
        const order = round % 2 === 1 ? running : [...running].reverse();
        for (const r of order) {
          await load(r, workload, 1);
          const before = cpuMicros(r.child.pid);
          const m = await load(r, workload, SECONDS);
          if (m.non2xx > 0 || m.errors > 0 || m.requests === 0) throw new Error(`${r.contender.name} ${workload}: ${m.requests} requests, ${m.non2xx} non-2xx, ${m.errors} errors`);
          const us = (cpuMicros(r.child.pid) - before) / m.requests;
          const key = `${r.contender.name}|${workload}`;
          cpu.set(key, [...(cpu.get(key) ?? []), us]);
          process.stdout.write(`round ${round} ${workload.padEnd(24)} ${r.contender.name.padEnd(11)} ${Math.round(m.rps)} req/s ${us.toFixed(1)} CPU µs/req\n`);
        }
      }
    }
    // The batch processor exports within its 5 s schedule: wait for the last batches before counting.
    await new Promise((resolve) => setTimeout(resolve, 6000));
  } finally {
    for (const r of running) await stop(r);
    for (const sink of sinks.values()) await sink.close();
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
  if (AB_COMMIT !== undefined) {
    lines.push('', `| workload | ratio 0.1 at ${AB_COMMIT} (µs) | every span at ${AB_COMMIT} (µs) | ratio 0.1 at ${AB_COMMIT} vs off | every span at ${AB_COMMIT} vs off |`, '|---|---|---|---|---|');
    lines.push(...WORKLOADS.map((w) => `| ${w} | ${med('ab-ratio-0.1', w)} | ${med('ab-every-span', w)} | ${ratio('ab-ratio-0.1', 'off', w)} | ${ratio('ab-every-span', 'off', w)} |`));
  }
  const exported = [...sinks].map(([name, sink]) => {
    const { spans, exports, bytes } = sink.stats();
    const requests = served.get(name) ?? 0;
    return `${name}: ${spans} spans for ${requests} requests (${((100 * spans) / requests).toFixed(1)} %) in ${exports} exports, ${(bytes / Math.max(spans, 1)).toFixed(0)} bytes a span`;
  });
  const section = [
    '<!-- tracing-figures:start -->',
    `Server CPU µs per request of the in-memory Tasks handler (production), loaded by wrk: the build before tracing (${BASE_COMMIT}), this build with \`OTEL_*\` unset, with tracing on at the default parent-based sampler and \`OTEL_TRACES_SAMPLER_ARG=0.1\`, and with every span exported (OTLP/protobuf to a sink, the \`OTEL_BSP_*\` defaults). ${ROUNDS} rounds of ${SECONDS} s after a ${WARM_UP_SECONDS} s warm-up of each contender, contenders in turn, the order reversed every other round; the percentages are medians of per-round ratios. Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs when it finished (${new Date().toISOString().slice(0, 10)}). Spans the sinks received: ${exported.join('; ')}.`,
    '',
    ...lines,
    '<!-- tracing-figures:end -->',
  ].join('\n');
  if (!quick && AB_COMMIT === undefined) writeSection('tracing-figures', section);
  process.stdout.write(`\n${lines.join('\n')}\n\n${ROUNDS} round(s) of ${SECONDS} s each, ${CONNECTIONS} connections, contenders in turn (order reversed every other round); medians of per-round ratios.\n${exported.join('\n')}\n`);
}

await main();
