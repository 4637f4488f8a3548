/** The servers the benchmark compares, and how to start each one pinned to its own CPU. */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { compiled } from './compile.js';

/** One server under test. */
export interface Contender {
  readonly name: string;
  readonly label: string;
  readonly script: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** The compiled bench to run the script from (bench/compile.ts); the default build by default. */
  readonly build?: string;
  /** Measured in full runs only (left out of `--quick`). */
  readonly fullOnly?: boolean;
}

/** A started contender. */
export interface Running {
  readonly contender: Contender;
  readonly url: string;
  readonly child: ChildProcess;
  /** Milliseconds from spawn to `ready` (includes Node and module loading). */
  readonly startupMs: number;
  /** Milliseconds the server itself reports from spec load to listening, when it reports them. */
  readonly serverStartupMs?: number;
}

const HAS_TASKSET = existsSync('/usr/bin/taskset');
/** The CPU servers run on; the load generator takes the other one. */
export const SERVER_CPU = '0';
/** The CPU the runner and its load generator run on. */
export const LOAD_CPU = '1';

/** Starts a contender from the compiled bench (bench/compile.ts) and resolves once it prints `ready <port>`. */
export function start(contender: Contender, timeoutMs = 120_000): Promise<Running> {
  const node = [process.execPath, compiled(contender.script, contender.build), ...(contender.args ?? [])];
  const [cmd, ...args] = HAS_TASKSET ? ['taskset', '-c', SERVER_CPU, ...node] : node;
  const started = performance.now();
  const child = spawn(cmd!, args, { env: { ...process.env, ...contender.env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${contender.name} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => reject(new Error(`${contender.name} exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^ready (\d+)(?: (\d+))?$/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      const serverStartupMs = match[2] === undefined ? undefined : Number(match[2]);
      resolve({ contender, url: `http://127.0.0.1:${match[1]}`, child, startupMs: performance.now() - started, serverStartupMs });
    });
  });
}

/** The peak resident set size of a running contender, in MiB (Linux /proc; NaN elsewhere). */
export function peakRssMiB(running: Running): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${running.child.pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time (user + system; with `children`, also of its waited-for children) a process has used so far, in µs, from /proc/<pid>/stat (NaN elsewhere). */
export function cpuMicros(pid: number | undefined, children = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
    return (ticks / CLOCK_TICKS_PER_SECOND) * 1e6;
  } catch {
    return Number.NaN;
  }
}

/** CPU time, in µs, of a process and every live descendant of it (nginx's worker is its master's child); NaN where /proc is missing. */
export function treeCpuMicros(pid: number | undefined): number {
  if (pid === undefined || !existsSync('/proc')) return Number.NaN;
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while the list was read.
    }
  }
  let total = 0;
  for (const queue = [pid]; queue.length > 0; ) {
    const next = queue.pop()!;
    const used = cpuMicros(next);
    if (!Number.isNaN(used)) total += used;
    queue.push(...(children.get(next) ?? []));
  }
  return total;
}

/** Stops a contender: SIGTERM (it drops its database), SIGKILL after 5 s. */
export async function stop(running: Running): Promise<void> {
  if (running.child.exitCode !== null) return;
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill('SIGTERM');
  const kill = setTimeout(() => running.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(kill);
}

/** Pins this process (the load generator) to the other CPU, where taskset exists. */
export function pinSelf(): void {
  if (!HAS_TASKSET) return;
  spawnSync('taskset', ['-a', '-p', '-c', LOAD_CPU, String(process.pid)], { stdio: 'ignore' });
}
