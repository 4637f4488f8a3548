/**
 * WORKERS=2 as a user runs it: one real primary (`node --import tsx src/main.ts`) forking two
 * workers on one port over an empty PostgreSQL database. Both worker pids answer requests (their
 * access-log lines say so), migrations run once, GET /metrics on METRICS_PORT sums both workers, a
 * worker killed with SIGKILL is replaced, and SIGTERM to the primary stops everything: exit 0, no
 * process left, nothing listening on either port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseEnv, testDriver, urlOf, withClient } from '../testing/database.js';
import { TEST_JWT_SECRET } from '../testing/tokens.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The pids of a process's children, from /proc (none once it is gone). */
const childrenOf = (pid: number): number[] =>
  !existsSync(`/proc/${pid}/task`) ? [] : readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));

/** The node worker processes under the primary (tsx's esbuild service is a child too). */
const workersOf = (pid: number): number[] => childrenOf(pid).filter((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('src/main.ts'));

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

/** GET on a connection of its own, so the primary hands each request to the next worker. */
const freshGet = (port: number, path: string) =>
  new Promise<number>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => (res.resume(), res.on('end', () => resolve(res.statusCode!)))).on('error', reject);
  });

interface LogLine {
  msg: string;
  pid?: number;
  port?: number;
  metrics_port?: number;
  workers?: number;
  path?: string;
  applied?: string[];
}

// One driver is enough for process-level behaviour; the neon project would only repeat it.
describe.runIf(testDriver() === 'pg')('WORKERS=2', () => {
  // A database with no tables yet, so the workers' start-up has migrations to apply.
  const database = `specgate_workers_${process.pid}`;
  let primary: ChildProcess;
  const log: LogLine[] = [];
  let port: number;
  let metricsPort: number;
  let exited: Promise<number | null>;

  /** Resolves with the first log line (already written or to come) that `match` accepts. */
  const logged = (match: (line: LogLine) => boolean, from = 0) =>
    new Promise<LogLine>((resolve) => {
      const poll = () => {
        const found = log.slice(from).find(match);
        if (found) resolve(found);
        else setTimeout(poll, 50);
      };
      poll();
    });

  beforeAll(async () => {
    await withClient((c) => c.query(`CREATE DATABASE ${database}`));
    primary = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...(await databaseEnv(urlOf(database))), HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0', WORKERS: '2', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    exited = new Promise((resolve) => primary.once('exit', (code) => resolve(code)));
    createInterface({ input: primary.stdout! }).on('line', (line) => log.push(JSON.parse(line) as LogLine));
    port = (await logged((line) => line.workers === 2 && line.port !== undefined)).port!;
    metricsPort = (await logged((line) => line.metrics_port !== undefined)).metrics_port!;
  });
  afterAll(async () => {
    // A failed run must not leave its processes behind for the next one.
    for (const pid of [...childrenOf(primary.pid!), primary.pid!]) if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
    await withClient((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });

  it('serves from two worker processes, migrates once, and sums both workers on METRICS_PORT', async () => {
    const workers = workersOf(primary.pid!);
    expect(workers).toHaveLength(2);
    const statuses = await Promise.all(Array.from({ length: 20 }, () => freshGet(port, '/livez')));
    expect(statuses).toEqual(Array(20).fill(200));
    const answeredBy = new Set(log.filter((line) => line.msg === 'request' && line.path === '/livez').map((line) => line.pid));
    expect([...answeredBy].sort()).toEqual([...workers].sort());
    expect(log.filter((line) => line.msg === 'migrations applied')).toHaveLength(1);

    const scrape = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(scrape.split('\n')).toContain('specgate_http_requests_total{operation="getLiveness",status="200"} 20');
  });

  it('replaces a worker that dies, and keeps serving', async () => {
    const [victim, survivor] = workersOf(primary.pid!);
    const from = log.length;
    process.kill(victim!, 'SIGKILL');
    await logged((line) => line.msg === 'worker died unexpectedly; starting a replacement' && line.pid === victim, from);
    const listening = await logged((line) => line.msg.startsWith('specgate listening') && line.pid !== undefined && line.pid !== survivor, from);
    expect(workersOf(primary.pid!).sort()).toEqual([survivor!, listening.pid!].sort());
    expect(await Promise.all([freshGet(port, '/livez'), freshGet(port, '/livez')])).toEqual([200, 200]);
  });

  it('SIGTERM to the primary stops every worker: exit 0, no process left, nothing listening', async () => {
    const workers = workersOf(primary.pid!);
    const signalled = Date.now();
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(workers.filter((pid) => existsSync(`/proc/${pid}`))).toEqual([]);
    expect(await refused(port)).toBe(true);
    expect(await refused(metricsPort)).toBe(true);
    expect(log.filter((line) => line.msg === 'stopped').map((line) => line.pid).sort()).toEqual(expect.arrayContaining(workers));
  });
});
