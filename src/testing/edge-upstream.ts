/**
 * The upstream of the edge-policy tests: a node:http server that records the exact request line
 * and raw headers it receives, answers each request with what it saw, and redirects the way
 * FastAPI's `url_for` and Starlette's slash redirect do — naming its own origin.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HEALTH_CHECK_AGENT } from '../gateway/health-checks.js';

/** A request as the upstream received it. */
export interface RawRequest {
  readonly method: string;
  /** The request target, byte for byte. */
  readonly url: string;
  /** Header names and values as sent, in order. */
  readonly rawHeaders: readonly string[];
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A running edge upstream. */
export interface EdgeUpstream {
  /** Its origin, e.g. http://127.0.0.1:41234. */
  readonly origin: string;
  readonly received: RawRequest[];
  close(): Promise<void>;
}

/** Starts the upstream; `base` is the path the application is mounted under ('' for the root). */
export async function startEdgeUpstream(base = ''): Promise<EdgeUpstream> {
  const received: RawRequest[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // The gateway's active health checks (docs/gateway.md "Readiness") are not what a test sent.
      if (req.headers['user-agent'] !== HEALTH_CHECK_AGENT) received.push({ method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const path = req.url!.split('?')[0]!;
      const redirect = (location: string) => {
        res.writeHead(307, { location, 'content-location': location, 'content-length': '0' });
        res.end();
      };
      if (path === `${base}/api/redirect/absolute`) return redirect(`${origin}${base}/api/public/moved?x=1`);
      if (path === `${base}/api/redirect/relative`) return redirect(`${base}/api/public/moved`);
      if (path === `${base}/api/redirect/elsewhere`) return redirect('https://accounts.example.org/login');
      if (path === `${base}/api/redirect/unavailable`) {
        res.writeHead(503, { 'content-type': 'application/json' });
        return void res.end('{"detail":"down for maintenance"}');
      }
      if (path === `${base}/api/redirect/crash`) {
        res.writeHead(500, { 'content-type': 'application/json' });
        return void res.end('{"detail":"KeyError"}');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ url: req.url, user: req.headers['x-user-id'] ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
