/**
 * Process start → first answered request, from the compiled build (`npm run build`, dist/): `npm start`
 * on openapi.yaml (npm and its build check included; on a fresh database of the PostgreSQL server,
 * so the embedded database's own start is excluded), the same server as `node dist/src/main.js`, and
 * the mock on GitHub's REST description. The clock starts at spawn and stops at the first 200, polled
 * every 5 ms; the server runs on the servers' CPU.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { withClient } from '../src/testing/database.js';
import { BENCH_ORIGIN, BENCH_SECRET } from './fixtures.js';
import { median } from './load.js';
import { GITHUB_SPEC } from './scaling.js';
import { cpuMicros, SERVER_CPU } from './contenders.js';

/** One start-up case's medians. */
export interface StartupResult {
  readonly name: string;
  readonly label: string;
  /** Median milliseconds from spawn to the first 200. */
  readonly ms: number;
  /** Median CPU milliseconds (user + system) the process and its children had used by then: robust to a busy machine. */
  readonly cpuMs?: number;
  readonly runs: number;
}

/** A free TCP port on 127.0.0.1. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** The pids of a process and all its descendants, from /proc. */
export function tree(pid: number): number[] {
  try {
    const children = readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    return [pid, ...children.flatMap(tree)];
  } catch {
    return [];
  }
}

async function firstAnswer(command: string[], env: Record<string, string>, path: string): Promise<{ ms: number; cpuMs: number }> {
  const port = await freePort();
  const pinned = existsSync('/usr/bin/taskset') ? ['taskset', '-c', SERVER_CPU, ...command] : command;
  const started = performance.now();
  const child = spawn(pinned[0]!, pinned.slice(1), { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}`))));
  try {
    for (;;) {
      const answered = await Promise.race([
        fetch(`http://127.0.0.1:${port}${path}`, { headers: { origin: BENCH_ORIGIN } }).then(
          async (res) => (await res.arrayBuffer(), res.status === 200),
          () => false,
        ),
        exited,
      ]);
      if (answered) {
        const ms = performance.now() - started;
        // npm's own children (sh when it does not exec) count through cutime/cstime once exited and waited for.
        const cpuMs = tree(child.pid!).reduce((sum, pid) => sum + (cpuMicros(pid, true) || 0), 0) / 1000;
        return { ms, cpuMs };
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  }
}

/** Runs every start-up case (or `only` those) `runs` times; GitHub's description only when its package is installed. */
export async function runStartup(options: { runs: number; databaseUrl: string; only?: readonly string[] }): Promise<StartupResult[]> {
  const name = `specgate_bench_start_${process.pid}`;
  const url = new URL(options.databaseUrl);
  await withClient((c) => c.query(`CREATE DATABASE ${name}`), options.databaseUrl);
  url.pathname = `/${name}`;
  const env = { NODE_ENV: 'production', JWT_SECRET: BENCH_SECRET, CORS_ORIGINS: BENCH_ORIGIN, LOG_LEVEL: 'silent', DATABASE_URL: url.toString(), DB_DRIVER: 'pg' };
  const cases = [
    { name: 'npm-start', label: '`npm start` on openapi.yaml (compiled; npm and the build check included)', command: ['npm', 'start'], path: '/health' },
    { name: 'node-main', label: '`node dist/src/main.js` on openapi.yaml', command: [process.execPath, 'dist/src/main.js'], path: '/health' },
    ...(existsSync(GITHUB_SPEC)
      ? [{ name: 'mock-github', label: "`node dist/src/mock/cli.js` on GitHub's REST description (1,223 operations), first answer on `GET /`", command: [process.execPath, 'dist/src/mock/cli.js', GITHUB_SPEC], path: '/' }]
      : []),
  ];
  const results: StartupResult[] = [];
  try {
    for (const c of cases.filter((x) => options.only?.includes(x.name) ?? true)) {
      const samples: { ms: number; cpuMs: number }[] = [];
      for (let i = 0; i < options.runs; i++) samples.push(await firstAnswer(c.command, env, c.path));
      results.push({ name: c.name, label: c.label, ms: median(samples.map((s) => s.ms)), cpuMs: median(samples.map((s) => s.cpuMs)), runs: options.runs });
      process.stdout.write(`start-up ${c.name}: ${samples.map((s) => `${Math.round(s.ms)} ms (${Math.round(s.cpuMs)} ms CPU)`).join(', ')}\n`);
    }
  } finally {
    await withClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), options.databaseUrl);
  }
  return results;
}
