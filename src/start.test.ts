/**
 * `npm start` as a user runs it: the build check, then the compiled server with plain node, in one
 * process (scripts/run-built.mjs). A
 * signal to npm's pid must reach the server (the script `exec`s node, so npm's signal forwarding
 * lands on the server, not on a shell that would leave it orphaned): graceful shutdown, exit 0
 * within 10 s, the server process gone and nothing listening. On PostgreSQL when TEST_DATABASE_URL
 * is set (a database of its own; fast to open), else on in-memory PGlite.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { urlOf, withClient } from './testing/database.js';
import { TEST_JWT_SECRET } from './testing/tokens.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The pids of a process's children, from /proc (none once it is gone). */
const childrenOf = (pid: number): number[] =>
  !existsSync(`/proc/${pid}/task`) ? [] : readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));

let database: Record<string, string> = { PGLITE_DATA_DIR: 'memory://' };
const name = `specgate_start_${process.pid}`;
beforeAll(async () => {
  if (!process.env.TEST_DATABASE_URL) return;
  await withClient((c) => c.query(`CREATE DATABASE ${name}`));
  database = { DATABASE_URL: urlOf(name), DB_DRIVER: 'pg' };
});
afterAll(async () => {
  if (process.env.TEST_DATABASE_URL) await withClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
});

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

it.each(['SIGTERM', 'SIGINT'] as const)('%s to npm start stops the compiled server gracefully: exit 0, no orphan, nothing listening', async (signal) => {
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', ...database, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    void exited.then((code) => reject(new Error(`npm start exited with ${code} before listening:\n${lines.join('\n')}`)));
    createInterface({ input: npm.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('{')) {
        const entry = JSON.parse(line) as { port?: number };
        if (entry.port !== undefined) resolve(entry.port);
      }
    });
  });
  const [server] = childrenOf(npm.pid!);
  try {
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    // npm's only child is node itself (no shell, no tsx), running the compiled entry.
    expect(readFileSync(`/proc/${server}/cmdline`, 'utf8').split('\0').slice(1, 4)).toEqual(['--enable-source-maps', 'scripts/run-built.mjs', 'src/main.js']);
    expect(readFileSync(`/proc/${server}/comm`, 'utf8').trim()).toBe('node');

    const signalled = Date.now();
    npm.kill(signal);
    expect(await exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(existsSync(`/proc/${server}`)).toBe(false);
    expect(await refused(port)).toBe(true);
    expect(lines.some((line) => line.includes(`"signal":"${signal}"`))).toBe(true);
  } finally {
    // A failed run must not leave its processes behind for the next one.
    for (const pid of [npm.pid!, ...childrenOf(npm.pid!), server!]) if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
  }
}, 60_000);
