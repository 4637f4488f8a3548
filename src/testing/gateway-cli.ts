/** Runs `npm run gateway`'s entry point (src/gateway/cli.ts) as its own process, as an operator would. */
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenApiDocument } from '../contract/spec.js';

const root = new URL('../../', import.meta.url).pathname;

/** A gateway process and its URL. */
export interface GatewayProcess {
  readonly url: string;
  close(): Promise<void>;
}

/** Writes `document` to a file and starts the CLI on it with `args`; resolves once it listens. */
export function startGatewayCli(document: OpenApiDocument, args: readonly string[], env: Record<string, string>): Promise<GatewayProcess> {
  const file = join(mkdtempSync(join(tmpdir(), 'specgate-gateway-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['src/gateway/cli.ts', file, '--host', '127.0.0.1', '--port', '0', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (!match) return;
      child.stdout.off('data', onData);
      resolve({
        url: match[1]!,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`the gateway exited with ${code}: ${output}`)));
  });
}
