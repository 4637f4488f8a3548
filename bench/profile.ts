/**
 * `npx tsx bench/profile.ts [seconds]`: where each request's CPU time goes. Runs bare node:http and
 * specgate standalone (production, in-memory handler), compiled (bench/compile.ts), under
 * `node --cpu-prof` (100 µs sampling),
 * loads each workload for `seconds` after a 1 s warm-up, and attributes every sample taken during
 * the measured window to the innermost frame of our own code on its stack (a pipeline stage, the
 * runner, the handler), or, with none, to what Node does around the pipeline (HTTP parsing, socket
 * writes, GC). Prints one markdown table per workload: share of samples and µs per request, scaled
 * to the CPU µs per request measured from /proc for the same window. Then profiles the Fastify +
 * fastify-openapi-glue contender the same way, and prints, for all three servers side by side, each
 * sample charged to the owner of its innermost frame (a Node module, a library, a file of ours,
 * native code, GC): where each server's µs per request go, by who runs them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BENCH_BUILD, compileBench, compiled } from './compile.js';
import { ownerOf, profileIndex, type Profile } from './cpu-profile.js';
import { cpuMicros, pinSelf, SERVER_CPU } from './contenders.js';
import { benchToken, CREATE_BODY } from './fixtures.js';
import type { Workload } from './load.js';
import { measureWrk } from './wrk.js';


const ROOT = new URL(`../${BENCH_BUILD}/`, import.meta.url).href;
const DETAIL = process.env.PROFILE_DETAIL === '1';
const detail = new Map<string, number>();
const seconds = Number(process.argv[2] ?? 5);
const WORKLOADS: Workload[] = ['GET /api/tasks/{taskId}', 'POST /api/tasks'];

/** The bucket of our own code a source file belongs to (undefined: not ours, look further out). */
function bucketOf(url: string): string | undefined {
  const m = /^(src|bench)\/(.+)\.(?:ts|js)$/.exec(url.startsWith(ROOT) ? url.slice(ROOT.length) : '');
  if (!m) return undefined;
  const file = `${m[1]}/${m[2]}`;
  if (file === 'src/pipeline/state') return undefined; // a helper: charge its caller
  if (file === 'src/pipeline/compose' || file === 'src/pipeline/stage') return 'stage runner (compose)';
  if (file.startsWith('src/pipeline/')) return `stage ${m[2]!.replace('pipeline/', '')}`;
  if (file.startsWith('src/auth/')) return 'stage authenticate';
  if (file.startsWith('src/contract/')) return 'stage validate';
  if (file.startsWith('bench/')) return 'handler (bench in-memory)';
  return file;
}

function attribute(profile: Profile, fromUs: number, toUs: number, label: string): { counts: Map<string, number>; owners: Map<string, number> } {
  const { byId, parent } = profileIndex(profile);
  const cache = new Map<number, string>();
  const bucket = (id: number): string => {
    const known = cache.get(id);
    if (known) return known;
    const leaf = byId.get(id)!.callFrame;
    let result: string | undefined;
    for (let at: number | undefined = id; at !== undefined && result === undefined; at = parent.get(at)) result = bucketOf(byId.get(at)!.callFrame.url);
    if (result !== undefined) {
      const parentUrl = byId.get(parent.get(id) ?? -1)?.callFrame.url ?? '';
      const inNode = leaf.url.startsWith('node:') || (leaf.url === '' && parentUrl.startsWith('node:'));
      result = inNode ? `${result}: Node APIs it calls` : `${result}: own code, libraries`;
    }
    if (result === undefined) {
      if (leaf.functionName === '(garbage collector)') result = 'GC';
      else if (leaf.functionName === '(idle)') result = 'idle';
      else result = 'Node outside the pipeline (HTTP parser, sockets, timers)';
    }
    cache.set(id, result);
    return result;
  };
  const counts = new Map<string, number>();
  const owners = new Map<string, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < fromUs || t > toUs) continue;
    const b = bucket(profile.samples[i]!);
    counts.set(b, (counts.get(b) ?? 0) + 1);
    const leaf = byId.get(profile.samples[i]!)!.callFrame;
    const owner = ownerOf(leaf.url, leaf.functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + 1);
    if (DETAIL) {
      const f = byId.get(profile.samples[i]!)!.callFrame;
      const key = `${label} ${b} ← ${f.functionName || '(anonymous)'} ${f.url.replace(ROOT, '').replace(/^.*node_modules\//, '')}`;
      detail.set(key, (detail.get(key) ?? 0) + 1);
    }
  }
  return { counts, owners };
}

async function profileServer(script: string, args: string[], token: string) {
  const dir = mkdtempSync(join(tmpdir(), 'specgate-prof-'));
  const child = spawn('taskset', ['-c', SERVER_CPU, process.execPath, '--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, compiled(script), ...args], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^ready (\d+)/.exec(line);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    }),
  );
  const created = await fetch(`${url}/api/tasks`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: 'http://localhost:5173' }, body: CREATE_BODY });
  const taskId = ((await created.json()) as { id: string }).id;
  const windows: { workload: Workload; from: number; to: number; cpuUs: number; requests: number }[] = [];
  for (const workload of WORKLOADS) {
    await measureWrk(url, workload, { seconds: 1, connections: 50, token, taskId });
    const cpu0 = cpuMicros(child.pid);
    const from = Number(process.hrtime.bigint() / 1000n);
    const m = await measureWrk(url, workload, { seconds, connections: 50, token, taskId });
    const to = Number(process.hrtime.bigint() / 1000n);
    windows.push({ workload, from, to, cpuUs: (cpuMicros(child.pid) - cpu0) / m.requests, requests: m.requests });
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  rmSync(dir, { recursive: true, force: true });
  return windows.map((w) => ({ ...w, ...attribute(profile, w.from, w.to, `${script.split('/').pop()} ${w.workload.split(' ')[0]}`) }));
}

pinSelf();
await compileBench();
const token = await benchToken();
const bare = await profileServer('bench/servers/bare-http.ts', [], token);
const specgate = await profileServer('bench/servers/specgate.ts', ['memory'], token);
process.stdout.write(`Profiled ${new Date().toISOString()}, ${seconds} s per workload, 50 connections, under --cpu-prof (sampling inflates CPU per request).\n\n`);
for (const [i, workload] of WORKLOADS.entries()) {
  for (const [name, run] of [['bare node:http', bare[i]!], ['specgate standalone', specgate[i]!]] as const) {
    const total = [...run.counts.values()].reduce((a, b) => a + b, 0);
    const busy = total - (run.counts.get('idle') ?? 0);
    process.stdout.write(`**${workload}, ${name}**: ${run.cpuUs.toFixed(1)} CPU µs/request under the profiler, ${run.requests} requests\n\n| where | share of busy samples | µs per request |\n|---|---|---|\n`);
    for (const [b, n] of [...run.counts.entries()].filter(([b]) => b !== 'idle').sort((x, y) => y[1] - x[1])) {
      process.stdout.write(`| ${b} | ${((100 * n) / busy).toFixed(1)} % | ${((run.cpuUs * n) / busy).toFixed(1)} |\n`);
    }
    process.stdout.write('\n');
  }
}
const fastify = await profileServer('bench/servers/fastify-glue.ts', [], token);
const SERVERS = [['bare node:http', bare], ['specgate standalone', specgate], ['Fastify + glue', fastify]] as const;
for (const [i, workload] of WORKLOADS.entries()) {
  // µs per request by the owner of the innermost frame, one column per server.
  const perOwner = SERVERS.map(([, runs]) => {
    const run = runs[i]!;
    const busy = [...run.owners.entries()].filter(([o]) => o !== 'idle').reduce((a, [, n]) => a + n, 0);
    return { cpuUs: run.cpuUs, us: new Map([...run.owners.entries()].filter(([o]) => o !== 'idle').map(([o, n]) => [o, (run.cpuUs * n) / busy])) };
  });
  const owners = [...new Set(perOwner.flatMap((p) => [...p.us.keys()]))].sort((a, b) => Math.max(...perOwner.map((p) => p.us.get(b) ?? 0)) - Math.max(...perOwner.map((p) => p.us.get(a) ?? 0)));
  process.stdout.write(`**${workload}, µs per request by the innermost frame's owner** (under the profiler)\n\n| owner | ${SERVERS.map(([name]) => name).join(' | ')} |\n|---|${SERVERS.map(() => '---').join('|')}|\n`);
  for (const owner of owners.filter((o) => perOwner.some((p) => (p.us.get(o) ?? 0) >= 0.1))) {
    process.stdout.write(`| ${owner} | ${perOwner.map((p) => (p.us.get(owner) ?? 0).toFixed(1)).join(' | ')} |\n`);
  }
  process.stdout.write(`| **total** | ${perOwner.map((p) => `**${p.cpuUs.toFixed(1)}**`).join(' | ')} |\n\n`);
}
if (DETAIL) for (const [k, n] of [...detail.entries()].sort((a, b) => b[1] - a[1]).slice(0, 200)) process.stdout.write(`${n} ${k}\n`);
