/**
 * A small real upstream for the gateway tests: a node:http server under a base path that answers
 * each case on demand (JSON success, FastAPI's 422, Django's HTML 500, slow, dropped, wrong body,
 * stalled body, its own CORS headers) and records every request it receives, bytes included.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { HEALTH_CHECK_AGENT } from '../gateway/health-checks.js';

/** What the upstream received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A running test upstream. */
export interface TestUpstream {
  /** The base URL the gateway forwards to (with its base path). */
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** The gateway's active health checks (User-Agent specgate-health-check), kept apart from `received`. */
  readonly healthChecks: ReceivedRequest[];
  close(): Promise<void>;
}

/** The base path the test upstream serves under. */
export const UPSTREAM_BASE_PATH = '/backend';

/** The Django debug page a crashing view answers with (what must never reach a client). */
export const DJANGO_500 = '<!DOCTYPE html><html><head><title>KeyError at /cases/html-500</title></head><body><h1>KeyError</h1><pre>Traceback (most recent call last):\n  File "/app/views.py", line 12\nSECRET_KEY = "django-insecure-xyz"</pre></body></html>';

/** FastAPI's answer to a request its pydantic models refuse. */
export const FASTAPI_422 = {
  detail: [
    { loc: ['query', 'limit'], msg: 'value is not a valid integer', type: 'type_error.integer' },
    { loc: ['body', 'name'], msg: 'field required', type: 'value_error.missing' },
  ],
};

/** How long the `slow` case waits before answering. */
export const SLOW_MS = 3000;

let large: Buffer | undefined;

/** The body of `/cases/large`: 8 MiB of a pattern that differs from one 64 KiB block to the next (made on first use). */
export function largeBody(): Buffer {
  if (large === undefined) {
    large = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < large.length; i++) large[i] = (i * 7 + (i >> 16)) & 0xff;
  }
  return large;
}

/** Starts the upstream on an ephemeral port, or on `port` (an upstream that comes back where it was). */
export async function startTestUpstream(port = 0): Promise<TestUpstream> {
  const received: ReceivedRequest[] = [];
  const healthChecks: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      (req.headers['user-agent'] === HEALTH_CHECK_AGENT ? healthChecks : received).push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const path = req.url!.split('?')[0]!.slice(UPSTREAM_BASE_PATH.length);
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      const items = /^\/items\/([^/]+)$/.exec(path);
      if (items && req.method === 'GET') {
        // The upstream's own CORS and request id: the gateway must drop both.
        return json(200, { id: decodeURIComponent(items[1]!), name: 'An item' }, {
          'access-control-allow-origin': '*',
          'access-control-allow-credentials': 'true',
          'x-request-id': 'upstream-own-id',
          vary: 'Accept-Encoding',
          'keep-alive': 'timeout=77',
          'x-upstream': 'test',
        });
      }
      // Declared with a required Location header, answered without one.
      if (path === '/located') return json(200, { id: 'here', name: 'no Location header' });
      if (path === '/items' && req.method === 'POST') return json(201, { id: 'new', name: JSON.parse(body.toString('utf8')).name });
      const which = /^\/cases\/([^/]+)$/.exec(path)?.[1];
      switch (which) {
        case 'ok':
          return json(200, { id: 'ok', name: 'fine' });
        case 'fastapi-422':
          return json(422, FASTAPI_422);
        case 'detail-404':
          return json(404, { detail: 'Item not found' });
        case 'html-500':
          res.writeHead(500, { 'content-type': 'text/html; charset=utf-8' });
          return void res.end(DJANGO_500);
        case 'slow': {
          const timer = setTimeout(() => json(200, { id: 'slow', name: 'late' }), SLOW_MS);
          timers.add(timer);
          return;
        }
        case 'drop':
          return void req.socket.destroy();
        case 'wrong-body':
          return json(200, { id: 5 });
        // FastAPI does not route HEAD: a GET-only endpoint answers it 405, with a chunked GET body.
        case 'no-head':
          if (req.method === 'HEAD') return json(405, { detail: 'Method Not Allowed' }, { allow: 'GET' });
          res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'no-head' });
          res.write('{"id":"no-head",');
          return void res.end('"name":"GET only"}');
        // 8 MiB in 64 KiB writes, more than any socket buffer holds: a slow client makes the gateway wait.
        case 'large': {
          const body = largeBody();
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
          for (let at = 0; at < body.length; at += 65_536) res.write(body.subarray(at, at + 65_536));
          return void res.end();
        }
        case 'stall':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          return void res.write('{"id":"stall","name":"');
        default:
          return json(404, { detail: 'Not Found' });
      }
    });
  });
  // WebSockets at /backend/ws: every message is echoed back prefixed with the caller the gateway named.
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.alloc(0) });
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const caller = String(req.headers['x-user-id'] ?? 'nobody');
      ws.on('message', (data) => ws.send(`${caller}: ${String(data)}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${UPSTREAM_BASE_PATH}`,
    received,
    healthChecks,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
