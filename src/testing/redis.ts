/**
 * Redis for tests. The shared server at 127.0.0.1:6379 (CI starts it) is used with a key prefix
 * unique to the test, never flushed or stopped; a test that stops Redis starts its own
 * redis-server on a free port with nothing persisted, and stops only that one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from './free-port.js';
import { pollUntil } from './poll-until.js';

/** The shared test Redis. */
export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

/** Whether redis-server is installed (CI installs it; elsewhere Redis tests skip without it). */
export const hasRedisServer = (): boolean => spawnSync('redis-server', ['--version']).status === 0;

/** Whether the Redis tests must run: under CI=true a missing Redis is a failure, not a skip. */
export const redisRequired = (): boolean => process.env.CI === 'true';

/** A key prefix no other test uses. */
export const uniquePrefix = (what: string): string => `test:${what}:${randomBytes(6).toString('hex')}:`;


/** A redis-server of the test's own, which it may stop and start again on the same port. */
export interface OwnRedis {
  readonly url: string;
  readonly port: number;
  /** The running server's process id (undefined while stopped). */
  readonly pid: number | undefined;
  /** Stops it (`SHUTDOWN NOSAVE`) and waits for the process to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

const ping = (port: number) => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG';

/** Starts a redis-server on a free port, persisting nothing. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await pollUntil(() => ping(port));
    if (!ping(port)) throw new Error(`redis-server did not start on port ${port}`);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.exitCode === null ? child.pid : undefined;
    },
    start,
    async stop() {
      const exiting = child;
      if (!exiting || exiting.exitCode !== null) return;
      const exited = new Promise((resolve) => exiting.once('exit', resolve));
      spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
      await exited;
    },
  };
}
