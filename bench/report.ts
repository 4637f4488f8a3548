/**
 * Writes docs/performance.md (tables, targets, ratios, the command) and docs/performance.svg from
 * one run; the hand-written profile (bench/profile.md, measured separately with `node --cpu-prof`)
 * is included as it stands.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { keptTail } from './section.js';
import type { Workload } from './load.js';
import { paired, standaloneTargets, targetRows, verdict } from './targets.js';
import type { ScalingResult } from './scaling.js';
import type { StartupResult } from './startup.js';

/** One workload's medians: req/s, latency percentiles (ms) and server CPU µs per request. */
export interface WorkloadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuUs?: number;
  /** Each round's figures, in round order (runs recorded before 2026-12-04's third session have none). */
  readonly rounds?: readonly { rps: number; p99: number; cpuUs: number }[];
}

/** One contender's medians. */
export interface ContenderResult {
  readonly name: string;
  readonly label: string;
  readonly startupMs: number;
  readonly peakRssMiB: number;
  readonly workloads: Record<string, WorkloadResult>;
}

interface Run {
  /** `load`: the one-minute load average when the run started and when it ended. */
  readonly meta: { date: string; rounds: number; seconds: number; connections: number; node: string; load?: readonly [number, number] };
  readonly results: readonly ContenderResult[];
  readonly scaling: readonly ScalingResult[];
  readonly startup?: readonly StartupResult[];
}

/** A run of the same harness at an earlier commit, shown for comparison (bench/baseline-*.json). */
export interface Baseline extends Run {
  readonly commit: string;
  readonly description: string;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const WORKLOADS: Workload[] = ['GET /api/tasks/{taskId}', 'POST /api/tasks'];
const short = (w: Workload) => w.split(' ')[0]!;
/** The contenders with the in-memory handler: the ones the ratio tables compare. */
const IN_MEMORY = ['node-http', 'express', 'specgate', 'specgate-dev', 'specgate-express', 'fastify-glue', 'fastify-glue-nocache'];
const tag = (r: ContenderResult) => /^\((.+?)\)/.exec(r.label)?.[1] ?? r.name;

/** A size's last-operation req/s ÷ the 10-operation spec's: the paired median, or for a run recorded before pairs, the ratio of medians. */
const versus10 = (s: ScalingResult | undefined, last10: number) => s?.lastVs10 ?? (s?.lastRps ?? NaN) / last10;
/** The 10-operation spec's CPU µs per request ÷ a size's, paired as versus10 is. */
const cpuVersus10 = (s: ScalingResult | undefined, cpuLast10: number) => s?.lastCpuVs10 ?? cpuLast10 / (s?.lastCpuUs ?? NaN);

/** The targets of issue 11, evaluated on this run's figures. */
function targets(run: Run): string {
  const by = (name: string) => run.results.find((r) => r.name === name);
  const get = (name: string, w: Workload) => by(name)?.workloads[w];
  const scale = (n: number) => run.scaling.find((s) => s.spec !== 'github' && s.operations === n);
  const last10 = scale(10)?.lastRps ?? NaN;
  const rows: [string, number, '≥' | '≤', number][] = [];
  for (const w of WORKLOADS) {
    const ratio = (top: string, bottom: string, figure: 'rps' | 'p99' | 'cpuUs') => paired(get(top, w), get(bottom, w), figure);
    rows.push([`${short(w)}: (c) specgate ÷ (f) Fastify + glue, req/s`, ratio('specgate', 'fastify-glue', 'rps'), '≥', 1]);
    rows.push([`${short(w)}: (f) Fastify + glue ÷ (c) specgate, CPU µs per request`, ratio('fastify-glue', 'specgate', 'cpuUs'), '≥', 1]);
    rows.push([`${short(w)}: (c) specgate ÷ (b) bare Express, req/s`, ratio('specgate', 'express', 'rps'), '≥', 3.5]);
    rows.push([`${short(w)}: (b) bare Express ÷ (c) specgate, CPU µs per request`, ratio('express', 'specgate', 'cpuUs'), '≥', 3.5]);
    rows.push([`${short(w)}: (e) Express adapter ÷ (b) bare Express, req/s`, ratio('specgate-express', 'express', 'rps'), '≥', 1]);
    rows.push([`${short(w)}: (c) specgate p99 ÷ (f) Fastify + glue p99`, ratio('specgate', 'fastify-glue', 'p99'), '≤', 1]);
  }
  for (const n of [1000, 5000]) {
    const size = n.toLocaleString('en-US');
    rows.push([`last of ${size} operations ÷ last of 10, req/s`, versus10(scale(n), last10), '≥', 0.9]);
    rows.push([`last of 10 ÷ last of ${size} operations, CPU µs per request`, cpuVersus10(scale(n), scale(10)?.lastCpuUs ?? NaN), '≥', 0.9]);
  }
  const startup = (name: string) => run.startup?.find((s) => s.name === name)?.ms ?? NaN;
  const startupCpu = (name: string) => run.startup?.find((s) => s.name === name)?.cpuMs ?? NaN;
  const lines = targetRows(rows);
  lines.push(`| process start → first answer, \`npm start\` on openapi.yaml (compiled) | ${fmt(startup('npm-start'))} ms | ≤ 1000 ms | ${verdict(startup('npm-start'), '≤', 1000)} |`);
  lines.push(`| the same, CPU time of npm and the server by then | ${fmt(startupCpu('npm-start'))} ms | ≤ 1000 ms | ${verdict(startupCpu('npm-start'), '≤', 1000)} |`);
  lines.push(`| process start → first answer, mock on GitHub's REST description (compiled) | ${fmt(startup('mock-github'))} ms | ≤ 2000 ms | ${verdict(startup('mock-github'), '≤', 2000)} |`);
  lines.push(`| the same, CPU time of the mock by then | ${fmt(startupCpu('mock-github'))} ms | ≤ 2000 ms | ${verdict(startupCpu('mock-github'), '≤', 2000)} |`);
  return lines.join('\n');
}

function chart(run: Run): string {
  const rows = run.results.filter((r) => IN_MEMORY.includes(r.name)).flatMap((r) => WORKLOADS.map((w) => ({ label: `(${tag(r)}) ${r.name} ${short(w)}`, rps: r.workloads[w]?.rps ?? 0, cpu: r.workloads[w]?.cpuUs ?? 0 })));
  const maxRps = Math.max(...rows.map((r) => r.rps), 1);
  const maxCpu = Math.max(...rows.map((r) => r.cpu), 1);
  const bar = 16;
  const height = rows.length * (bar + 6) + 40;
  const bars = rows
    .map((r, i) => {
      const y = 30 + i * (bar + 6);
      const w = Math.round((r.rps / maxRps) * 300);
      const c = Math.round((r.cpu / maxCpu) * 200);
      return [
        `<text x="0" y="${y + 12}" font-size="12">${r.label}</text>`,
        `<rect x="250" y="${y}" width="${w}" height="${bar}" fill="#4a7bd0"/><text x="${255 + w}" y="${y + 12}" font-size="11">${fmt(r.rps)}</text>`,
        `<rect x="650" y="${y}" width="${c}" height="${bar}" fill="#d08a4a"/><text x="${655 + c}" y="${y + 12}" font-size="11">${fmt(r.cpu, 1)}</text>`,
      ].join('');
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="920" height="${height}" font-family="sans-serif">
<text x="250" y="14" font-size="13" font-weight="bold">requests/s (median of ${run.meta.rounds} rounds, ${run.meta.connections} connections)</text>
<text x="650" y="14" font-size="13" font-weight="bold">server CPU µs per request (lower is better)</text>
${bars}
</svg>
`;
}

/** Ratio tables: every in-memory contender against every other, by req/s and by CPU µs per request. */
function ratios(run: Run): string {
  const list = IN_MEMORY.map((name) => run.results.find((r) => r.name === name)).filter((r): r is ContenderResult => r !== undefined);
  const header = `| row ÷ column | ${list.map((r) => `(${tag(r)})`).join(' | ')} |\n|---|${list.map(() => '---').join('|')}|`;
  return WORKLOADS.map((w) => {
    const table = (what: string, value: (row: WorkloadResult | undefined, col: WorkloadResult | undefined) => number) =>
      `**${short(w)}, ${what}**\n\n${header}\n${list.map((row) => `| (${tag(row)}) ${row.name} | ${list.map((col) => (row === col ? '1' : fmt(value(row.workloads[w], col.workloads[w]), 2))).join(' | ')} |`).join('\n')}`;
    return [
      table('req/s of the row ÷ req/s of the column', (r, c) => (r?.rps ?? NaN) / (c?.rps ?? NaN)),
      table('CPU µs per request of the column ÷ of the row (above 1: the row costs less)', (r, c) => (c?.cpuUs ?? NaN) / (r?.cpuUs ?? NaN)),
    ].join('\n\n');
  }).join('\n\n');
}

/** Renders and writes the report. */
export function writeReport(run: Run, baseline?: Baseline): void {
  const throughput = run.results
    .map((r) => [r.label, ...WORKLOADS.flatMap((w) => [fmt(r.workloads[w]?.rps ?? NaN), `${fmt(r.workloads[w]?.p50 ?? NaN, 2)} / ${fmt(r.workloads[w]?.p99 ?? NaN, 2)}`, fmt(r.workloads[w]?.cpuUs ?? NaN, 1)]), fmt(r.peakRssMiB)].join(' | '))
    .map((line) => `| ${line} |`)
    .join('\n');
  const last10 = run.scaling.find((s) => s.spec !== 'github' && s.operations === 10)?.lastRps ?? NaN;
  const cpuLast10 = run.scaling.find((s) => s.spec !== 'github' && s.operations === 10)?.lastCpuUs ?? NaN;
  const scaling = run.scaling
    .map((s) => {
      const name = s.spec === 'github' ? `GitHub REST, ${s.operations} (mock)` : String(s.operations);
      const ratio = s.spec === 'github' ? '—' : fmt(versus10(s, last10), 2);
      return `| ${name} | ${fmt(s.startupMs)} | ${fmt(s.specToFirstMs ?? NaN)} | ${fmt(s.firstRequestMs)} | ${fmt(s.peakRssMiB)} | ${fmt(s.firstRps)} | ${fmt(s.lastRps)} | ${fmt(s.lastRps / s.firstRps, 2)} | ${ratio} | ${fmt(s.firstCpuUs ?? NaN, 1)} | ${fmt(s.lastCpuUs ?? NaN, 1)} | ${s.spec === 'github' ? '—' : fmt(cpuVersus10(s, cpuLast10), 2)} |`;
    })
    .join('\n');
  const startup = (run.startup ?? []).map((s) => `| ${s.label} | ${fmt(s.ms)} | ${fmt(s.cpuMs ?? NaN)} | ${s.runs} |`).join('\n');
  const profile = existsSync('bench/profile.md') ? `\n${readFileSync('bench/profile.md', 'utf8').trim()}\n` : '';
  const markdown = `# Performance

Figures from one run of \`npm run bench\` on this project's machine type (2 cores), ${run.meta.date}, Node ${run.meta.node}.
Each server runs pinned to CPU 0 (\`taskset\`), the load generator (wrk, one thread, ${run.meta.connections} connections) on CPU 1;
contenders are interleaved round by round, ${run.meta.rounds} rounds of ${run.meta.seconds} s after a 1 s warm-up; medians.
Each pair the targets compare (specgate and Fastify, specgate and Express, Express and the adapter)
is loaded back to back in every round, and a target's ratio is the median of its per-round ratios.${run.meta.load ? `
One-minute load average at the start and end of the run: ${run.meta.load.map((l) => l.toFixed(2)).join(' and ')} (the run itself keeps both CPUs busy, about 2).` : ''}
Every request carries a valid HS256 bearer token and an allowed Origin. Reproduce with:

\`\`\`sh
npm run bench            # writes this file, docs/performance.svg and bench/results.json
npm run bench -- --quick # a short round of the main contenders, proves the harness works (CI)
\`\`\`

**Noise.** The machine is shared (2 cores, other work running): absolute req/s move from run to run
and even between rounds. Compare contenders only within one run, and prefer **server CPU µs per
request** — the server process's \`utime + stime\` from \`/proc/<pid>/stat\` over the measured
seconds, divided by the requests answered — which counts only the server's own work and is far
less sensitive to what else runs. The load generator is wrk (Debian's \`wrk\`, written in C), which
keeps even bare node:http busy on its CPU, so req/s measure the servers, not the generator.

![requests per second and CPU per request](performance.svg)

## Targets (issue 11), from this run

| target | measured | required | |
|---|---|---|---|
${targets(run)}

## Targets (issue 25, item 3: the standalone API against Fastify + glue), from this run

Each ratio is the median of the per-round ratios of (c) and (f), loaded back to back in every round.

| target | measured | required | |
|---|---|---|---|
${standaloneTargets(run)}

## Throughput, latency, CPU and memory

| contender | GET req/s | GET p50 / p99 ms | GET CPU µs/req | POST req/s | POST p50 / p99 ms | POST CPU µs/req | peak RSS MiB |
|---|---|---|---|---|---|---|---|
${throughput}

## Every contender against every other

${ratios(run)}

## How to read these figures

- (c) is specgate as \`npm start\` runs it: the standalone node:http host (\`src/serve/http-server.ts\`, the
  stages composed by \`src/pipeline/compose.ts\`) in production mode (responses not validated); (c′)
  adds response validation, as in development and tests. (e) is the same stages inside an Express 5
  app through \`specgateExpress\` (src/adapters/express.ts). All of them validate every request, verify
  every token (a repeated token is served from the verified-token cache until its \`exp\`) and format
  every error in the uniform body with CORS.
- (f) is the strongest contract-first peer a user would pick: Fastify 5 with fastify-openapi-glue on
  this project's own openapi.yaml (routes, Ajv request validation and fast-json-stringify response
  serialisers from the spec), @fastify/cors, and a security handler verifying the bearer token with
  jose behind the same kind of verified-token cache (bench/servers/fastify-glue.ts); (f′) verifies
  every token. fastify-openapi-glue needs an error handler of the user's: without one, every 400 and
  401 on this spec is a 500 \`FST_ERR_FAILED_ERROR_SERIALIZATION\` (Fastify serialises its own error
  object with the spec's Error response schema, whose required fields it lacks). The contender has one
  that writes the uniform body. Like specgate's in-memory handler, its getTask sends the strong
  \`ETag\` the contract declares (the same digest), and its CORS exposes the headers the contract
  declares, so both servers send the same header fields (before 2026-12-04 it sent neither, which
  spared it a SHA-256 per GET and shorter headers).
- (a) and (b) do far less: no validation, no authentication, no request id, no spec-derived CORS.
- The database contenders (d) run the real Tasks handlers: their gap to (c) is the database.
  Embedded PGlite runs Postgres compiled to WebAssembly in the server's own process, single
  connection, which shows in its throughput and in its peak RSS; it is the zero-configuration
  default for development, not a production database.
- The in-memory specgate contenders hold a database pool that never connects, so their RSS is the
  pipeline's own. Logging is silent in every contender.
${profile}
## Start-up of the compiled build

Process start → first answered request (HTTP 200), median of ${run.startup?.[0]?.runs ?? '—'} runs, from the compiled build
(\`npm run build\`), \`NODE_ENV=production\`, on a fresh database of the local PostgreSQL server (so the
embedded database's own start is not counted; \`/health\` pings it). The clock starts when the process is
spawned and stops at the first 200, polled every 5 ms; "CPU ms by then" is the user + system time of the
process and its children at that moment, which a busy machine does not inflate the way it does wall time.

| command | wall ms | CPU ms by then | runs |
|---|---|---|---|
${startup}

## Spec size

Synthetic specs of N secured \`GET /r{i}/items/{itemId}\` operations through the full pipeline (production mode),
and GitHub's REST description (npm package \`@octokit/openapi\`, not committed) served by the mock server
(\`npm run mock\`, src/mock) through the same pipeline: its first operation is \`GET /\`, its last
\`GET /orgs/{org}/organization-fine-grained-permissions\`, each answered from the document's examples.
Start-up is measured in the server from spec load (for the mock, reading the file) to listening; "to first
answer" adds the first request's round trip; "from process start" adds Node's start and module loading
(the bench servers run compiled, bench/compile.ts; the start-up of \`npm start\` and of the mock
as shipped is in the table above).
The synthetic servers build the pipeline as the Tasks API does (strict: every validator compiled at
start-up, whatever the size; operations that declare the same schema share one compiled validator
and serializer); the mock compiles a document of over 300 operations one operation at a
time, on its first request (src/contract/operation-validators.ts). Every server is started first and
then loaded side by side: each round measures the last and the first operation of every size in
turn (5 rounds of 3 s, a 1 s warm-up in the first; medians). The two "÷ at 10" columns are medians of
per-round pairs: in every round each synthetic size's last operation is loaded right after the
10-operation spec's, so a burst of noise on this shared machine falls on both loads of a pair.

| operations | start-up ms | spec load to first answer ms | process start to first answer ms | peak RSS MiB | first op req/s | last op req/s | last ÷ first | last ÷ last at 10 | first op CPU µs/req | last op CPU µs/req | CPU at 10 ÷ CPU here, last op |
|---|---|---|---|---|---|---|---|---|---|---|---|
${scaling}
`;
  const comparison = baseline
    ? `
## The same harness on the library stack (commit ${baseline.commit})

${baseline.description} Measured ${baseline.meta.date} with ${baseline.meta.rounds} rounds of ${baseline.meta.seconds} s;
ratios are within that run.

| contender | GET req/s | GET ÷ (b) | POST req/s | POST ÷ (b) |
|---|---|---|---|---|
${baseline.results
  .filter((r) => ['express', 'specgate', 'specgate-dev'].includes(r.name))
  .map((r) => {
    const base = baseline.results.find((b) => b.name === 'express');
    const cell = (w: Workload) => `${fmt(r.workloads[w]?.rps ?? NaN)} | ${fmt((r.workloads[w]?.rps ?? NaN) / (base?.workloads[w]?.rps ?? NaN), 2)}`;
    return `| ${r.label} | ${cell(WORKLOADS[0]!)} | ${cell(WORKLOADS[1]!)} |`;
  })
  .join('\n')}

| operations | start-up ms | first op req/s | last op req/s | last ÷ last at 10 |
|---|---|---|---|---|
${baseline.scaling.map((x) => `| ${x.operations} | ${fmt(x.startupMs)} | ${fmt(x.firstRps)} | ${fmt(x.lastRps)} | ${fmt(x.lastRps / (baseline.scaling[0]?.lastRps ?? NaN), 2)} |`).join('\n')}
`
    : '';
  // The gateway, scaling, reload and tracing sections are written by their own entries (bench/section.ts),
  // with hand-written notes between them: keep all of it.
  const tail = keptTail();
  writeFileSync('docs/performance.md', markdown + comparison + (tail === '' ? '' : `\n${tail}\n`));
  writeFileSync('docs/performance.svg', chart(run));
}
