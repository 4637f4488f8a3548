/**
 * Drives one workload with wrk (Debian's `wrk`, one thread), a load generator in C that keeps a
 * server on one CPU busy where autocannon, in JavaScript, runs out of CPU first: req/s then
 * measure the server, and a response a few header fields longer does not slow the generator.
 * A POST's method, body and Content-Type come from a small Lua script written once.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BENCH_ORIGIN, CREATE_BODY } from './fixtures.js';
import { targetOf, type LoadOptions, type Measurement, type Workload } from './load.js';

const run = promisify(execFile);

/** Milliseconds of a wrk latency figure ("812.00us", "1.25ms", "2.01s"). */
function millis(figure: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(figure.trim());
  if (!match) throw new Error(`wrk printed a latency it cannot read: ${figure}`);
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

/** Reads wrk's `--latency` report. */
export function parseWrk(report: string): Measurement {
  const number = (pattern: RegExp) => Number(pattern.exec(report)?.[1] ?? 0);
  const requests = number(/(\d+) requests in/);
  const seconds = Number(/requests in ([\d.]+)s/.exec(report)?.[1] ?? NaN);
  const percentile = (p: string) => millis(new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(report)?.[1] ?? 'NaNms');
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  return {
    rps: requests / seconds,
    requests,
    p50: percentile('50'),
    p99: percentile('99'),
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/),
    errors: socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

let postScript: string | undefined;

/** The Lua script that makes wrk's requests `POST /api/tasks` with CREATE_BODY (written once per run). */
function createTaskScript(): string {
  if (postScript === undefined) {
    postScript = join(mkdtempSync(join(tmpdir(), 'specgate-wrk-')), 'create-task.lua');
    const body = CREATE_BODY.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    writeFileSync(postScript, `wrk.method = "POST"\nwrk.body = "${body}"\nwrk.headers["Content-Type"] = "application/json"\n`);
  }
  return postScript;
}

/** Runs a workload for `seconds` with `connections` on one wrk thread. */
export async function measureWrk(
  url: string,
  workload: Workload,
  options: LoadOptions,
): Promise<Measurement> {
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '10s', '--latency', '-H', `Origin: ${BENCH_ORIGIN}`, '-H', `Authorization: Bearer ${options.token}`];
  if (!workload.startsWith('GET')) args.push('-s', createTaskScript());
  const { stdout } = await run('wrk', [...args, targetOf(url, workload, options)], { encoding: 'utf8' });
  return parseWrk(stdout);
}
