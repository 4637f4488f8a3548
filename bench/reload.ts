/**
 * `npm run bench:reload [-- --quick]`: live reload under load. The mock serves a 50-operation
 * document to 8 keep-alive connections (autocannon) while it is sent 12 SIGHUPs, alternating two
 * versions that differ compatibly (an example value); every request must be answered 200 with no
 * connection error, and each reload must apply. Reports p99 inside the reload windows (SIGHUP to
 * the "contract reloaded" line, plus 100 ms) against p99 outside them (target ≤ 2×), and — not in
 * --quick — the reload time of GitHub's REST description (SIGHUP to the "contract reloaded" line).
 * Exit 1 when a request failed or a reload did not apply. See docs/performance.md.
 */
import autocannon from 'autocannon';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockProcess, timedReload } from './reload-mock.js';
import { median } from './load.js';
import { writeSection } from './section.js';

const quick = process.argv.includes('--quick');
const RELOADS = 12;
const CONNECTIONS = 8;
/** Steady load before the first reload and between two reloads. */
const WARM_MS = quick ? 1500 : 5000;
const GAP_MS = quick ? 400 : 1500;
/** How long after the "reloaded" line a response still counts as inside the reload window. */
const WINDOW_TAIL_MS = 100;
const GITHUB = new URL('../node_modules/@octokit/openapi/generated/api.github.com.json', import.meta.url).pathname;

/** A document of 50 GET operations; `flavour` is the example every answer carries, so the two versions differ compatibly. */
function document(flavour: string) {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < 50; i++) {
    paths[`/things${i}/{id}`] = {
      get: {
        operationId: `getThing${i}`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 40 } }, { name: 'fields', in: 'query', schema: { type: 'array', items: { type: 'string' } } }],
        responses: {
          '200': {
            description: 'A thing',
            content: { 'application/json': { schema: { type: 'object', required: ['id', 'flavour'], properties: { id: { type: 'string' }, flavour: { type: 'string' }, size: { type: 'integer', minimum: 0 } } }, example: { id: 'x', flavour, size: i } } },
          },
          '404': { description: 'Not found' },
        },
      },
    };
  }
  return { openapi: '3.0.3', info: { title: 'Reload benchmark', version: '1.0.0' }, paths };
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The load phase: reloads under 8 connections; returns what it measured and the problems found. */
async function underLoad(folder: string) {
  const file = join(folder, 'openapi.json');
  writeFileSync(file, JSON.stringify(document('a')));
  const mock = await startMockProcess(file);
  const responses: { at: number; ms: number; status: number }[] = [];
  const windows: [number, number][] = [];
  /** When each reload's "contract reloaded" line arrived (the swap). */
  const swaps: number[] = [];
  const reloadMs: number[] = [];
  const instance = autocannon({ url: `${mock.url}/things7/abc`, connections: CONNECTIONS, duration: 3600 }, () => {});
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => responses.push({ at: performance.now(), ms, status }));
  const finished = new Promise<autocannon.Result>((resolve) => instance.once('done', resolve));
  await sleep(WARM_MS);
  for (let i = 0; i < RELOADS; i++) {
    writeFileSync(file, JSON.stringify(document(i % 2 === 0 ? 'b' : 'a')));
    const start = performance.now();
    const { ms } = await timedReload(mock);
    swaps.push(performance.now());
    windows.push([start, performance.now() + WINDOW_TAIL_MS]);
    reloadMs.push(ms);
    await sleep(GAP_MS);
  }
  instance.stop();
  const result = await finished;
  const last = await (await fetch(`${mock.url}/things7/abc`)).json();
  await mock.stop();
  const inWindow = (at: number) => windows.some(([from, to]) => at >= from && at <= to);
  const afterSwap = (at: number) => swaps.some((swap) => at > swap && at <= swap + WINDOW_TAIL_MS);
  const during = responses.filter((r) => inWindow(r.at)).map((r) => r.ms);
  const steady = responses.filter((r) => !inWindow(r.at)).map((r) => r.ms);
  const problems: string[] = [];
  const failed = responses.filter((r) => r.status !== 200).length;
  if (failed > 0) problems.push(`${failed} answers were not 200`);
  if (result.errors + result.timeouts > 0) problems.push(`${result.errors} connection errors, ${result.timeouts} timeouts`);
  if (result.non2xx > 0) problems.push(`${result.non2xx} non-2xx answers (autocannon)`);
  if (last.flavour !== (RELOADS % 2 === 0 ? 'a' : 'b')) problems.push(`the last version is not served (flavour ${last.flavour})`);
  // The window in two parts: while the reload runs (SIGHUP to the line), and the tail after the swap.
  const building = responses.filter((r) => inWindow(r.at) && !afterSwap(r.at)).map((r) => r.ms);
  const tail = responses.filter((r) => afterSwap(r.at)).map((r) => r.ms);
  return { requests: responses.length, during, steady, building, tail, reloadMs, problems };
}

/** Reloads GitHub's description (a compatible change: its description) three times; the SIGHUP-to-"reloaded" times. */
async function github(folder: string) {
  const source = JSON.parse(readFileSync(GITHUB, 'utf8'));
  const file = join(folder, 'github.json');
  writeFileSync(file, JSON.stringify(source));
  const mock = await startMockProcess(file);
  const times: { ms: number; inProcessMs: number; phases: Record<string, number> }[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      source.info.description = `${String(source.info.description ?? '')} (reload ${i})`;
      writeFileSync(file, JSON.stringify(source));
      const { ms, line } = await timedReload(mock);
      times.push({ ms, inProcessMs: Number(line.ms), phases: { ...line.phases, heldMs: line.heldMs } });
    }
  } finally {
    await mock.stop();
  }
  return { operations: Object.values<Record<string, unknown>>(source.paths).reduce((n, item) => n + Object.keys(item).filter((k) => k !== 'parameters').length, 0), times };
}

const folder = mkdtempSync(join(tmpdir(), 'specgate-reload-bench-'));
const loadAtStart = loadavg()[0]!;
const load = await underLoad(folder);
const steadyP99 = percentile(load.steady, 99);
const duringP99 = percentile(load.during, 99);
const lines = [
  `${CONNECTIONS} keep-alive connections on one operation of a 50-operation document, ${RELOADS} SIGHUP reloads alternating two compatible versions, ${load.requests} requests: every one answered 200, no connection error.`,
  `p99 outside the reload windows ${steadyP99.toFixed(1)} ms (${load.steady.length} answers); inside them (SIGHUP to the "contract reloaded" line, plus ${WINDOW_TAIL_MS} ms) ${duringP99.toFixed(1)} ms (${load.during.length} answers): **${(duringP99 / steadyP99).toFixed(2)}×** (target ≤ 2×).`,
  `Inside the windows, p99 while the reload runs (SIGHUP to the line) ${percentile(load.building, 99).toFixed(1)} ms (${load.building.length} answers), in the ${WINDOW_TAIL_MS} ms after the swap ${percentile(load.tail, 99).toFixed(1)} ms (${load.tail.length} answers).`,
  `SIGHUP to "contract reloaded" for that document: median ${median(load.reloadMs).toFixed(0)} ms, max ${Math.max(...load.reloadMs).toFixed(0)} ms.`,
];
console.log(`reload under load (${quick ? 'quick' : 'full'}):\n  ${lines.join('\n  ')}`);
if (!quick && existsSync(GITHUB)) {
  const gh = await github(folder);
  lines.push(`GitHub's REST description (\`@octokit/openapi\` \`api.github.com.json\`, ${gh.operations} operations), a compatible change (its description), SIGHUP to "contract reloaded": ${gh.times.map((t) => `${(t.ms / 1000).toFixed(1)} s`).join(', ')} (by phase, ms: ${gh.times.map((t) => JSON.stringify(t.phases).replace(/"/g, '')).join('; ')}).`);
  console.log(`  ${lines.at(-1)}`);
}
if (!quick) {
  const when = new Date().toISOString().slice(0, 10);
  writeSection('reload', `<!-- reload:start -->\n## Live reload under load (\`npm run bench:reload\`)\n\n${when}, Node ${process.version}, 2 shared cores; one-minute load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end (above 2, other jobs share the CPUs and the p99s are inflated and noisy).\n\n${lines.map((line) => `- ${line}`).join('\n')}\n\nWhat keeps the request path going during a reload (src/serve/reload.ts): the digest and the breaking-change check run in a worker thread (src/serve/reload-check.ts; the main thread posts the document and gets the findings back as data); the new pipeline's validators compile one operation per event-loop turn (setImmediate), so waiting requests are served between two operations; and an operation whose schemas did not change reuses the functions compiled before (keyed by a digest of the schema and every $ref target it reaches, src/contract/validator-reuse.ts), so a compatible reload compiles only what changed. A reload line's \`heldMs\` is the longest the event loop was held during it. Left on the main thread: reading and parsing the document, posting it to the worker (a structured clone), building the routes and stages, and — for a document above 300 operations — registering its schemas with Ajv just after the swap. The first reload also starts the worker thread (the compiled mock, as here, loads only the digest and diff modules in it; from source it would load TypeScript through tsx too); on 2 shared cores that CPU is taken from the server and from autocannon.\n<!-- reload:end -->`);
}
if (load.problems.length > 0) {
  console.error(`FAILED: ${load.problems.join('; ')}`);
  process.exit(1);
}
