/**
 * Runs an entry point (`src/main.ts`, `src/gateway/cli.ts`, `src/mock/cli.ts`) as its own process,
 * as an operator would, keeping its JSON log lines; resolves once it logs that it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { OpenApiDocument } from '../contract/spec.js';
import { TEST_JWT_SECRET } from './tokens.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** A running entry point. */
export interface EntryProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Its parsed log lines so far. */
  readonly log: Record<string, any>[];
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Resolves with the first log line (already written or still to come) that `match` accepts. */
  line(match: (line: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Writes `document` to a temporary file and returns its path. */
export function documentFile(document: OpenApiDocument): string {
  const file = join(mkdtempSync(join(tmpdir(), 'specgate-doc-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  return file;
}

/** Starts `entry` with `args` and `env` on top of the test settings (127.0.0.1, a free port, the test secret). */
export async function startEntry(entry: string, args: readonly string[], env: Record<string, string>): Promise<EntryProcess> {
  const log: Record<string, any>[] = [];
  const waiting = new Set<{ match: (line: Record<string, any>) => boolean; resolve: (line: Record<string, any>) => void }>();
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, any>;
    try {
      line = JSON.parse(text);
    } catch {
      line = { msg: text };
    }
    log.push(line);
    for (const waiter of waiting) if (waiter.match(line)) (waiting.delete(waiter), waiter.resolve(line));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = (match: (line: Record<string, any>) => boolean, timeoutMs = 60_000) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const found = log.find(match);
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error(`no such log line within ${timeoutMs} ms:\n${log.map((l) => JSON.stringify(l)).join('\n')}\n${stderr}`)), timeoutMs);
      waiting.add({ match, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  const listening = await Promise.race([
    line((l) => /listening on http:\/\//.test(String(l.msg))),
    exited.then((code) => Promise.reject(new Error(`${entry} exited with ${code} before listening:\n${log.map((l) => JSON.stringify(l)).join('\n')}\n${stderr}`))),
  ]);
  const url = /(http:\/\/[\d.]+:\d+)/.exec(String(listening.msg))![1]!;
  return {
    url,
    child,
    log,
    exited,
    line,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
