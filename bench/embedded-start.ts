/**
 * Embedded PGlite start-up, old build against new: `node dist/src/main.js` with no DATABASE_URL on
 * a fresh data folder (first start) and again on the folder it left (restart). The clock runs from
 * spawn to the first `GET /health` 200 (polled every 20 ms), with the server's CPU time by then; RSS is the server's VmRSS one second
 * after that. The two checkouts alternate within each round, so a busy machine weighs on both alike.
 *
 *   npx tsx bench/embedded-start.ts --old /work/base-pglite --new . [--rounds 5]
 *
 * Each checkout needs `npm ci && npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** One measured start. */
interface Start {
  readonly ms: number;
  /** CPU (user + system) the server had used by its first 200: steadier than ms on a busy machine. */
  readonly cpuMs: number;
  readonly rssMiB: number;
}

const { values } = parseArgs({ options: { old: { type: 'string' }, new: { type: 'string', default: '.' }, rounds: { type: 'string', default: '5' } } });
if (!values.old) throw new Error('usage: npx tsx bench/embedded-start.ts --old <checkout> --new <checkout> [--rounds N]');
const sides = { old: resolve(values.old), new: resolve(values.new!) };
const rounds = Number(values.rounds);

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

// utime and stime, in clock ticks (100 per second on Linux), after the parenthesised command name.
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const exited = (child: ChildProcess) => new Promise((done) => (child.exitCode !== null ? done(undefined) : child.once('exit', done)));

/** Starts the checkout's server on dataDir and measures spawn → /health 200, then stops it. */
async function start(checkout: string, dataDir: string): Promise<Start> {
  const port = await freePort();
  const env = { PATH: process.env.PATH!, HOME: process.env.HOME!, PORT: String(port), PGLITE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  const began = performance.now();
  const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: checkout, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${checkout}: the server exited (${child.exitCode}): ${stderr}`);
      const status = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 0);
      if (status === 200) break;
      if (performance.now() - began > 120_000) throw new Error(`${checkout}: no /health 200 within 120 s: ${stderr}`);
      await sleep(20);
    }
    const ms = performance.now() - began;
    const cpu = cpuMs(child.pid!);
    await sleep(1000);
    return { ms, cpuMs: cpu, rssMiB: rssMiB(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const results: Record<string, Record<'first' | 'restart', Start[]>> = {
  old: { first: [], restart: [] },
  new: { first: [], restart: [] },
};
const loadBefore = loadavg()[0]!;
for (let round = 0; round < rounds; round++) {
  // Old and new back to back for each kind of start, in alternating order: a load that drifts
  // during the run weighs on both sides of a round alike (the paired ratios below).
  const order = round % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const);
  const folders = { old: mkdtempSync(join(tmpdir(), 'embedded-start-old-')), new: mkdtempSync(join(tmpdir(), 'embedded-start-new-')) };
  try {
    for (const kind of ['first', 'restart'] as const) {
      for (const side of order) results[side]![kind].push(await start(sides[side], folders[side]));
    }
  } finally {
    for (const folder of Object.values(folders)) rmSync(folder, { recursive: true, force: true });
  }
  const show = (s: Start) => `${s.ms.toFixed(0)} ms (CPU ${s.cpuMs} ms) ${s.rssMiB.toFixed(0)} MiB`;
  for (const side of order) console.log(`round ${round + 1} ${side}: first ${show(results[side]!.first[round]!)}, restart ${show(results[side]!.restart[round]!)}`);
}

const row = (kind: 'first' | 'restart', field: keyof Start) => {
  const pick = (side: 'old' | 'new') => results[side]![kind].map((s) => s[field]);
  const [old, now] = [pick('old'), pick('new')];
  const paired = median(now.map((value, i) => value / old[i]!));
  const label = { ms: 'ms to /health 200', cpuMs: 'CPU ms by then', rssMiB: 'RSS MiB 1 s later' }[field];
  return `| ${kind} start, ${label} | ${median(old).toFixed(0)} | ${median(now).toFixed(0)} | ${(median(now) / median(old)).toFixed(2)}× | ${paired.toFixed(2)}× |`;
};
console.log(`\nmedians of ${rounds} rounds; 1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after (${cpus().length} CPUs)`);
console.log('| | old (median) | new (median) | new/old of medians | median of per-round new/old |\n|---|---|---|---|---|');
for (const kind of ['first', 'restart'] as const) for (const field of ['ms', 'cpuMs', 'rssMiB'] as const) console.log(row(kind, field));
