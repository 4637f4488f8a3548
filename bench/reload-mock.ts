/** Runs `npm run mock` as its own process for the reload benchmark, and waits for its log lines. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A running mock process. */
export interface MockProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with the next log line (from now on) that `match` accepts. */
  next(match: (line: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  stop(): Promise<void>;
}

const ROOT = new URL('..', import.meta.url).pathname;

/** Starts the mock of `file` on a free port (rate limits off) and resolves once it listens. */
export async function startMockProcess(file: string, env: Record<string, string> = {}): Promise<MockProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/mock/cli.ts', file], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', RATE_LIMITS: 'off', JWT_SECRET: 'reload-benchmark-secret-of-at-least-32-bytes', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const waiting = new Set<{ match: (line: Record<string, any>) => boolean; resolve: (line: Record<string, any>) => void }>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, any>;
    try {
      line = JSON.parse(text);
    } catch {
      return;
    }
    for (const waiter of waiting) if (waiter.match(line)) (waiting.delete(waiter), waiter.resolve(line));
  });
  const next = (match: (line: Record<string, any>) => boolean, timeoutMs = 120_000) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such log line in time')), timeoutMs);
      waiting.add({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await Promise.race([next((l) => /listening on http:\/\//.test(String(l.msg))), exited.then(() => Promise.reject(new Error(`the mock of ${file} exited before listening`)))]);
  const url = /(http:\/\/[\d.]+:\d+)/.exec(String(listening.msg))![1]!;
  return {
    url,
    child,
    next,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Sends SIGHUP and resolves with the milliseconds until the "contract reloaded" line, and that line. */
export async function timedReload(mock: MockProcess): Promise<{ ms: number; line: Record<string, any> }> {
  const done = mock.next((l) => /^contract reload/.test(String(l.msg)) && !/unchanged/.test(String(l.msg)));
  const started = performance.now();
  mock.child.kill('SIGHUP');
  const line = await done;
  if (!String(line.msg).startsWith('contract reloaded')) throw new Error(`reload not applied: ${line.msg}`);
  return { ms: performance.now() - started, line };
}
