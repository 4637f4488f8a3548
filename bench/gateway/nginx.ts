/**
 * nginx `proxy_pass` (Debian's nginx), the floor for a reverse proxy: one worker, keep-alive to the
 * upstream, the same CORS headers added. Started through this script so the runner treats it like
 * the other contenders (`ready <port>` on stdout, SIGTERM stops it).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_ORIGIN } from '../fixtures.js';

const upstream = new URL(process.argv[2]!);
const probe = createServer();
await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
const port = (probe.address() as { port: number }).port;
await new Promise<void>((resolve) => probe.close(() => resolve()));
const prefix = mkdtempSync(join(tmpdir(), 'specgate-nginx-'));
writeFileSync(
  join(prefix, 'nginx.conf'),
  `worker_processes 1;
error_log stderr error;
pid ${prefix}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi; uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  upstream backend { server ${upstream.host}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      add_header Vary Origin always;
      add_header Access-Control-Allow-Origin ${BENCH_ORIGIN} always;
      add_header Access-Control-Allow-Credentials true always;
    }
  }
}
`,
);
const child = spawn('/usr/sbin/nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
for (let i = 0; i < 100; i++) {
  try {
    await fetch(`http://127.0.0.1:${port}/`);
    break;
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
process.stdout.write(`ready ${port}\n`);
process.once('SIGTERM', () => {
  child.once('exit', () => process.exit(0));
  child.kill('SIGQUIT');
});
