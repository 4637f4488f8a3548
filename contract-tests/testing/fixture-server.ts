/**
 * A node:http server for small fixture documents in the runner's own tests: each test gives the
 * answer for a request (raw path, method, headers, body); CORS is echoed and errors use the
 * uniform body, so only what a test is about differs from a conforming server.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the fixture sees it: the raw path (never normalised) and query. */
export interface FixtureRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What to answer; `destroy` drops the connection instead. */
export interface FixtureAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly destroy?: boolean;
  /** Milliseconds to wait before answering. */
  readonly delayMs?: number;
}

/** The uniform error answer for a status. */
export const uniformError = (status: number, type = 'validation_error'): FixtureAnswer => ({
  status,
  body: { detail: `fixture ${status}`, status_code: status, error_type: type, request_id: 'fixture' },
});

/** A running fixture server and every request it received. */
export interface FixtureServer {
  readonly url: string;
  readonly received: FixtureRequest[];
  close(): Promise<void>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The 404/405 a router built from `document` gives, or undefined when the path and method are declared. */
function routed(document: Record<string, any> | undefined, method: string, path: string): FixtureAnswer | undefined {
  if (!document) return undefined;
  for (const [template, item] of Object.entries<Record<string, unknown>>(document.paths ?? {})) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);
    if (!pattern.test(path)) continue;
    const declared = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    if (declared.includes(method)) return undefined;
    return { ...uniformError(405, 'method_not_allowed'), headers: { allow: declared.join(', ') } };
  }
  return uniformError(404, 'not_found');
}

/** Starts a fixture server answering with `answer`; with a document, undeclared paths are 404 and undeclared methods 405 with Allow. */
export async function startFixtureServer(answer: (req: FixtureRequest) => FixtureAnswer, document?: Record<string, any>): Promise<FixtureServer> {
  const received: FixtureRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const request: FixtureRequest = {
      method: req.method ?? 'GET',
      path: q === -1 ? raw : raw.slice(0, q),
      query: new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)),
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    received.push(request);
    let a: FixtureAnswer;
    try {
      a = routed(document, request.method, request.path) ?? answer(request);
    } catch {
      a = uniformError(400);
    }
    if (a.delayMs) await new Promise((resolve) => setTimeout(resolve, a.delayMs));
    if (a.destroy) {
      req.socket.destroy();
      return;
    }
    const cors = req.headers.origin ? { 'access-control-allow-origin': req.headers.origin, vary: 'Origin' } : {};
    const text = a.body === undefined || req.method === 'HEAD' ? '' : JSON.stringify(a.body);
    res.writeHead(a.status, { ...cors, 'content-type': 'application/json', 'x-request-id': 'fixture', ...a.headers });
    res.end(text);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A 200 response declared with a JSON schema. */
export const ok200 = (schema: object = { type: 'object' }) => ({ '200': { description: 'ok', content: { 'application/json': { schema } } } });

/** An OpenAPI 3.0 or 3.1 document with the given paths (and components). */
export const fixtureDocument = (paths: object, components: object = {}, openapi = '3.1.0') => ({
  openapi,
  info: { title: 'fixture', version: '1' },
  paths,
  components,
});
