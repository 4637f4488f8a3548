/**
 * Graceful shutdown of the real server process: `node --import tsx src/main.ts` against a test
 * database, a burst of creates on fresh and on keep-alive connections, SIGTERM in the middle.
 * Every request the server read is either answered or not executed: every 201 a client received
 * is in the database, and no request whose connection was reset left a row (each has a unique
 * title, audited against the table).
 *
 * Requests after the listener closed are refused at connect, or, when the kernel had already
 * completed the handshake (its accept queue), reset before the process ever saw them; a keep-alive
 * request racing the server's close of an idle connection is reset unread. None of these ran.
 * The server also reports how many responses it finished, which must equal the responses received.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, databaseEnv, withClient, type TestDatabase } from '../testing/database.js';
import { TEST_JWT_SECRET, mintToken } from '../testing/tokens.js';

type Outcome =
  | { kind: 'response'; status: number; body: string; afterSignal: boolean }
  | { kind: 'refused' }
  | { kind: 'reset'; code: string | undefined; title: string };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKERS = 8;
const KEEP_ALIVE_WORKERS = 8;
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

function create(token: string, title: string, signalled: () => boolean, agent: http.Agent | false): Promise<Outcome> {
  return new Promise((resolve) => {
    let connected = agent !== false;
    const req = http.request(
      { host: '127.0.0.1', port, path: '/api/tasks', method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
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

it('SIGTERM mid-burst: in-flight creates finish, every acknowledged write is stored, no reset request ran, exit 0', async () => {
  const token = await mintToken('user-shutdown');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const outcomes: Outcome[] = [];
  let signalled = false;
  let sent = 0;

  const worker = async (agent: http.Agent | false) => {
    for (;;) {
      const outcome = await create(token, `burst ${sent++}`, () => signalled, agent);
      outcomes.push(outcome);
      if (!signalled && outcomes.length >= SIGNAL_AFTER) {
        signalled = true;
        child.kill('SIGTERM');
      }
      if (outcome.kind !== 'response') return;
    }
  };
  const agents = Array.from({ length: KEEP_ALIVE_WORKERS }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  await Promise.all([...Array.from({ length: WORKERS }, () => worker(false)), ...agents.map((agent) => worker(agent))]);
  for (const agent of agents) agent.destroy();

  expect(await exited).toBe(0);
  if (process.env.SHUTDOWN_STATS) process.stderr.write(`${JSON.stringify(outcomes.reduce<Record<string, number>>((n, o) => ({ ...n, [o.kind + (o.kind === 'response' && o.afterSignal ? ':after' : '')]: (n[o.kind + (o.kind === 'response' && o.afterSignal ? ':after' : '')] ?? 0) + 1 }), {}))}\n`);
  const stopped = log.map((line) => JSON.parse(line) as { msg: string; answered?: number }).find((e) => e.msg === 'stopped');
  const responses = outcomes.flatMap((o) => (o.kind === 'response' ? [o] : []));
  const resets = outcomes.flatMap((o) => (o.kind === 'reset' ? [o] : []));
  expect(responses.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
  expect(responses.filter((r) => r.afterSignal).length).toBeGreaterThan(0);

  const acknowledged = responses.map((r) => (JSON.parse(r.body) as { id: string }).id).sort();
  const stored = await withClient((c) => c.query<{ id: string; title: string }>('SELECT id, title FROM tasks ORDER BY id'), database.url);
  // The audit: a request whose client saw a reset must not have run.
  const resetTitles = new Set(resets.map((r) => r.title));
  expect(stored.rows.filter((r) => resetTitles.has(r.title))).toEqual([]);
  expect(stored.rows.map((r) => r.id)).toEqual(acknowledged);
  // Every response the server finished reached its client.
  expect(stopped?.answered).toBe(responses.length);
});
