/**
 * Runs Debian's nginx in the foreground with a config written to a temporary directory, as the
 * reverse proxy many deployments put between the gateway and the application
 * (`location /api/ { proxy_pass http://app/api/; }`), for the path-confusion tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

const NGINX = '/usr/sbin/nginx';

/** Whether nginx can run here, and if not what to tell the developer. */
export function nginxStatus(): { available: true } | { available: false; message: string } {
  const probe = spawnSync(NGINX, ['-v'], { stdio: 'ignore' });
  if (probe.status === 0) return { available: true };
  return { available: false, message: 'nginx is not installed, so the path-confusion tests through nginx are skipped. Install it with: sudo apt-get install -y nginx' };
}


const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** A running nginx. */
export interface Nginx {
  /** Its origin, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts nginx proxying `/api/` to `upstream` (an origin) with `proxy_pass <upstream>/api/;`, and waits until it accepts connections. */
export async function startNginx(upstream: string): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'specgate-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, [
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(dir, kind)};`),
    `  server { listen 127.0.0.1:${port}; location /api/ { proxy_pass ${upstream}/api/; } }`,
    '}',
    '',
  ].join('\n'));
  const child: ChildProcess = spawn(NGINX, ['-c', conf, '-p', dir], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await accepts(port)); i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}; see ${join(dir, 'error.log')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
