/**
 * Start-up as an operator meets it, on the real server process (`node --import tsx src/main.ts`):
 * risky production settings are refused or warned about, a PGlite folder serves one process, and
 * a port in use or a database that cannot be used is one log line saying what to do, never a stack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET } from './testing/tokens.js';

const MAIN = fileURLToPath(new URL('main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const scratch = mkdtempSync(join(tmpdir(), 'specgate-startup-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  /** Every line of stdout and stderr so far. */
  readonly lines: string[];
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Resolves with the first JSON log line whose msg matches. */
  line(pattern: RegExp): Promise<{ msg: string; level: number; [key: string]: unknown }>;
}

/** A PostgreSQL URL on a port nobody listens on: the server starts at once (the database down is not fatal). */
async function deadDatabaseUrl(): Promise<{ url: string; port: number }> {
  const closed = createServer();
  const port = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as { port: number }).port)));
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return { url: `postgres://app:s3cret-password@127.0.0.1:${port}/tasks`, port };
}

/** Starts the server with exactly this environment (plus PATH) in `cwd`. */
function start(env: Record<string, string>, cwd = scratch): Run {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], { cwd, env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      lines.push(...parts);
      for (const wake of waiters.splice(0)) wake();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const parsed = () => lines.flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as { msg: string; level: number }] : []));
  return {
    lines,
    child,
    exited,
    async line(pattern) {
      for (;;) {
        const found = parsed().find((entry) => pattern.test(entry.msg));
        if (found) return found;
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode} without /${pattern.source}/:\n${lines.join('\n')}`);
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited]);
      }
    },
  };
}

const stop = async (run: Run) => {
  run.child.kill('SIGTERM');
  return run.exited;
};

describe('production settings', () => {
  it('refuses embedded PGlite nobody chose, saying how to choose it or a server', async () => {
    const run = start({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, CORS_ORIGINS: 'https://app.example.com' });
    expect(await run.exited).toBe(1);
    expect(run.lines.filter((l) => l !== '')).toEqual([
      'Invalid configuration:',
      '  - NODE_ENV=production needs DATABASE_URL (a PostgreSQL server). To run on embedded PGlite in ./.data anyway (one process, data on this machine\'s disk), set DB_DRIVER=pglite.',
    ]);
  });

  it('warns loudly about PGlite chosen on purpose and about an empty origin list', async () => {
    const run = start({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, DB_DRIVER: 'pglite', PGLITE_DATA_DIR: 'memory://' });
    await run.line(/^NO CORS ORIGIN/);
    const warnings = run.lines.flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as { level: number; msg: string }] : [])).filter((e) => e.level === 40);
    expect(warnings.map((w) => w.msg)).toEqual([
      'PRODUCTION ON EMBEDDED PGLITE: the data lives in memory:// on this machine only, one process at a time; set DATABASE_URL to use a PostgreSQL server.',
      'NO CORS ORIGIN IS ALLOWED: CORS_ORIGINS and CORS_ORIGIN_REGEX are unset, so every browser page calling this API is refused (servers and curl are not affected). Set CORS_ORIGINS=https://your-frontend.example.',
    ]);
    run.child.kill('SIGKILL');
  });
});

describe('problems an operator can act on', () => {
  let holder: Server;
  afterAll(() => holder?.close());

  it('a port in use: one line naming the port and PORT, no stack', async () => {
    holder = createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)));
    const run = start({ PORT: String(port), DATABASE_URL: (await deadDatabaseUrl()).url, DB_CONNECT_RETRIES: '0' });
    expect(await run.exited).toBe(1);
    expect((await run.line(/in use/)).msg).toBe(`port ${port} is in use on 127.0.0.1; stop the process using it or set PORT to a free port`);
    expect(run.lines.filter((l) => /^\s+at /.test(l))).toEqual([]);
  });

  it('a database port nobody listens on: the warning names host and port and what to check', async () => {
    const { url, port } = await deadDatabaseUrl();
    const run = start({ DATABASE_URL: url, DB_CONNECT_RETRIES: '0' });
    const warning = await run.line(/^database unavailable/);
    expect(warning.msg).toBe(
      `database unavailable: nothing accepts connections at 127.0.0.1:${port} (connection refused) — is PostgreSQL running there, and are the host and port in DATABASE_URL right?; serving 503 and retrying migrations`,
    );
    expect(warning.database).toEqual({ host: '127.0.0.1', port, database: 'tasks', user: 'app' });
    expect(run.lines.join('\n')).not.toContain('s3cret-password');
    await stop(run);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('a database that does not exist: says so and how to create it, and exits 1', async () => {
    const server = new URL(process.env.TEST_DATABASE_URL!);
    const run = start({ DATABASE_URL: `postgres://postgres@${server.host}/specgate_missing_database` });
    expect(await run.exited).toBe(1);
    expect((await run.line(/^migrations failed/)).msg).toBe(
      `migrations failed: database "specgate_missing_database" does not exist on ${server.hostname}:${server.port || 5432} — create it with: createdb -h ${server.hostname} -p ${server.port || 5432} -U postgres specgate_missing_database (or fix the name in DATABASE_URL); refusing to serve`,
    );
  });
});

describe('.env', () => {
  it('is read from the working directory, under the real environment', async () => {
    const dir = mkdtempSync(join(scratch, 'dotenv-'));
    writeFileSync(join(dir, '.env'), `PORT=1\nDATABASE_URL=${(await deadDatabaseUrl()).url}\nDB_CONNECT_RETRIES=0\nCORS_ORIGINS=https://from-dotenv.example\n`);
    const run = start({ PORT: '0' }, dir);
    const listening = await run.line(/^specgate listening/);
    expect(listening.port).not.toBe(1);
    const res = await fetch(`http://127.0.0.1:${listening.port as number}/health`, { headers: { origin: 'https://from-dotenv.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://from-dotenv.example');
    expect(await stop(run)).toBe(0);
  });
});
