/**
 * Several real server processes (`node --import tsx src/main.ts`) on ports of their own, sharing
 * one database and one Redis, as instances behind a load balancer would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TEST_JWT_SECRET } from './tokens.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** One running instance. */
export interface Instance {
  readonly url: string;
  readonly child: ChildProcess;
  /** Its log lines so far (JSON). */
  readonly log: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts one instance with env on top of the test settings; resolves once it listens. */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const log: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance exited with ${code} before listening:\n${log.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.push(line);
      const entry = JSON.parse(line) as { port?: number };
      if (entry.port !== undefined) resolve(entry.port);
    });
  });
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    log,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
