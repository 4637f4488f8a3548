/**
 * Runs the mock as its own process for the reload benchmark, and waits for its log lines: the
 * compiled build (`npm run build`, then `node dist/src/mock/cli.js`, as `npm run mock` runs it in
 * production), built once per benchmark run so dist/ matches the source.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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

let built = false;
/** Builds dist/ from the source as it is now (once per run). */
function buildOnce(): void {
  if (built) return;
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('npm run build failed: the reload benchmark runs the compiled mock');
  built = true;
}

/** Starts the mock of `file` on a free port (rate limits off) and resolves once it listens. */
export async function startMockProcess(file: string, env: Record<string, string> = {}): Promise<MockProcess> {
  buildOnce();
  const child = spawn(process.execPath, ['dist/src/mock/cli.js', file], {
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
