/**
 * Deliberately broken CORS servers on 127.0.0.1, one per mistake the cors doctor diagnoses,
 * each a few lines of node:http modelled on a real team's failure (see docs/cors.md).
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The origin the broken servers are configured to allow. */
export const FRONTEND = 'http://localhost:5173';

type Answer = { status: number; headers: OutgoingHttpHeaders };
type Behaviour = { preflight: (req: IncomingMessage, origin: string) => Answer; actual: (req: IncomingMessage, origin: string) => Answer };

const echo = (origin: string): OutgoingHttpHeaders => ({
  'access-control-allow-origin': origin,
  'access-control-allow-credentials': 'true',
  vary: 'Origin',
});
const goodPreflight = (origin: string): Answer => ({
  status: 204,
  headers: {
    ...echo(origin),
    'access-control-allow-methods': 'GET, POST, PATCH, DELETE',
    'access-control-allow-headers': 'Authorization, Content-Type',
    'access-control-max-age': '600',
  },
});
const ok = (headers: OutgoingHttpHeaders): Answer => ({ status: 200, headers });

/** Each broken (and one correct) server, by the diagnosis it should get. */
export const BEHAVIOURS = {
  correct: { preflight: (_r, o) => goodPreflight(o), actual: (_r, o) => ok(echo(o)) },
  /** CORS on successes only: the app's error handler answers 500s without it (seed 000, 002). */
  'no-allow-origin-on-error': { preflight: (_r, o) => goodPreflight(o), actual: () => ({ status: 500, headers: {} }) },
  /** Only https://app.example.com is configured; other origins get no CORS headers. */
  'origin-not-allowed': {
    preflight: (_r, o) => (o === 'https://app.example.com' ? goodPreflight(o) : { status: 204, headers: {} }),
    actual: (_r, o) => ok(o === 'https://app.example.com' ? echo(o) : {}),
  },
  /** One fixed origin sent to everybody. */
  'other-origin': {
    preflight: () => goodPreflight('https://app.example.com'),
    actual: () => ok(echo('https://app.example.com')),
  },
  'wildcard-with-credentials': {
    preflight: (_r, o) => ({ status: 204, headers: { ...goodPreflight(o).headers, 'access-control-allow-origin': '*' } }),
    actual: () => ok({ 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }),
  },
  'credentials-not-allowed': {
    preflight: (_r, o) => ({ status: 204, headers: { ...goodPreflight(o).headers, 'access-control-allow-credentials': undefined } }),
    actual: (_r, o) => ok({ 'access-control-allow-origin': o, vary: 'Origin' }),
  },
  'multiple-allow-origin': {
    preflight: (_r, o) => goodPreflight(o),
    actual: (_r, o) => ok({ ...echo(o), 'access-control-allow-origin': `${o}, https://app.example.com` }),
  },
  'header-not-allowed': {
    preflight: (_r, o) => ({ status: 204, headers: { ...goodPreflight(o).headers, 'access-control-allow-headers': 'Content-Type' } }),
    actual: (_r, o) => ok(echo(o)),
  },
  'method-not-allowed': {
    preflight: (_r, o) => ({ status: 204, headers: { ...goodPreflight(o).headers, 'access-control-allow-methods': 'GET, POST' } }),
    actual: (_r, o) => ok(echo(o)),
  },
  'missing-vary-origin': {
    preflight: (_r, o) => goodPreflight(o),
    actual: (_r, o) => ok({ ...echo(o), vary: undefined }),
  },
  /** Authentication runs before CORS, so the preflight (which has no token) gets a 401. */
  'preflight-error-status': { preflight: () => ({ status: 401, headers: {} }), actual: (_r, o) => ok(echo(o)) },
  /** A trailing-slash redirect (FastAPI's redirect_slashes, Django's APPEND_SLASH) answers the preflight. */
  'preflight-redirect': { preflight: (r) => ({ status: 307, headers: { location: `${r.url}/` } }), actual: (_r, o) => ok(echo(o)) },
} satisfies Record<string, Behaviour>;

/** A running broken server. */
export interface BrokenServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the server with this behaviour. */
export async function startBroken(kind: keyof typeof BEHAVIOURS): Promise<BrokenServer> {
  const behaviour: Behaviour = BEHAVIOURS[kind];
  const server = createServer((req, res) => {
    const origin = req.headers.origin ?? '';
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    const answer = preflight ? behaviour.preflight(req, origin) : behaviour.actual(req, origin);
    const headers = Object.fromEntries(Object.entries(answer.headers).filter(([, value]) => value !== undefined));
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { ...headers, ...(preflight ? {} : { 'content-type': 'application/json' }) });
      res.end(preflight ? undefined : JSON.stringify({ status: answer.status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/things`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
