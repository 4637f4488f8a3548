/**
 * Graceful shutdown of the real server process: `node --import tsx src/main.ts` against a test
 * database, a burst of creates, SIGTERM in the middle. Every 201 a client received must be in the
 * database, and every connection the server accepted must get its response.
 *
 * Requests after the listener closed are refused at connect, or, when the kernel had already
 * completed the handshake (its accept queue), reset before the process ever saw them. The test
 * tells these apart from a dropped request: the server reports how many connections it accepted,
 * which must equal the responses received, and no reset request may have left a row.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, databaseEnv, withClient, type TestDatabase } from './testing/database.js';
import { TEST_JWT_SECRET, mintToken } from './testing/tokens.js';

type Outcome =
  | { kind: 'response'; status: number; body: string; afterSignal: boolean }
  | { kind: 'refused' }
  | { kind: 'reset'; code: string | undefined; title: string };

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKERS = 8;
const SIGNAL_AFTER = 40;

let database: TestDatabase;
let child: ChildProcess;
let port: number;
const log: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      ...(await databaseEnv(database.url!)),
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'info',
      // The burst is hundreds of createTask requests from one caller; the limit is not under test here.
      RATE_LIMITS: 'off',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${log.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.push(line);
      const entry = JSON.parse(line) as { port?: number };
      if (entry.port !== undefined) resolve(entry.port);
    });
  });
});
afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await database.drop();
});

function create(token: string, title: string, signalled: () => boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    let connected = false;
    const req = http.request(
      { host: '127.0.0.1', port, path: '/api/tasks', method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ kind: 'response', status: res.statusCode ?? 0, body, afterSignal: signalled() }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'reset', code: error.code, title }));
      },
    );
    req.on('socket', (socket) => socket.once('connect', () => (connected = true)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(!connected && error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'reset', code: error.code, title }),
    );
    req.end(JSON.stringify({ title }));
  });
}

it('SIGTERM mid-burst: in-flight creates finish, every acknowledged write is stored, every accepted connection answered, exit 0', async () => {
  const token = await mintToken('user-shutdown');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const outcomes: Outcome[] = [];
  let signalled = false;
  let sent = 0;

  const worker = async () => {
    for (;;) {
      const outcome = await create(token, `burst ${sent++}`, () => signalled);
      outcomes.push(outcome);
      if (!signalled && outcomes.length >= SIGNAL_AFTER) {
        signalled = true;
        child.kill('SIGTERM');
      }
      if (outcome.kind !== 'response') return;
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));

  expect(await exited).toBe(0);
  if (process.env.SHUTDOWN_STATS) process.stderr.write(`${JSON.stringify(outcomes.reduce<Record<string, number>>((n, o) => ({ ...n, [o.kind + (o.kind === 'response' && o.afterSignal ? ':after' : '')]: (n[o.kind + (o.kind === 'response' && o.afterSignal ? ':after' : '')] ?? 0) + 1 }), {}))}\n`);
  const stopped = log.map((line) => JSON.parse(line) as { msg: string; connections?: number }).find((e) => e.msg === 'stopped');
  const responses = outcomes.flatMap((o) => (o.kind === 'response' ? [o] : []));
  const resets = outcomes.flatMap((o) => (o.kind === 'reset' ? [o] : []));
  // Every connection the server accepted was answered; the resets never reached it.
  expect(stopped?.connections).toBe(responses.length);
  expect(responses.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
  expect(responses.filter((r) => r.afterSignal).length).toBeGreaterThan(0);
  expect(resets.map((r) => r.code).filter((c) => c !== 'ECONNRESET')).toEqual([]);

  const acknowledged = responses.map((r) => (JSON.parse(r.body) as { id: string }).id).sort();
  const stored = await withClient((c) => c.query<{ id: string; title: string }>('SELECT id, title FROM tasks ORDER BY id'), database.url);
  expect(stored.rows.map((r) => r.id)).toEqual(acknowledged);
  expect(stored.rows.filter((r) => resets.some((reset) => reset.title === r.title))).toEqual([]);
});
