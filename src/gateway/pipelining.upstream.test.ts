/**
 * UPSTREAM_PIPELINING: GET and HEAD requests share upstream connections several at a time (HTTP/1.1
 * pipelining), every other method keeps a connection to itself, and an upstream that closes a
 * connection with answers still owed costs the clients nothing. Measured against a real node:http
 * upstream that records, for each request, how many answers its connection still owed when it came.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../contract/spec.js';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { listenLocally } from '../testing/listen-locally.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';

/** One request as the upstream saw it. */
interface Seen {
  readonly method: string;
  readonly socket: number;
  /** Answers the connection still owed when this request arrived. */
  readonly owed: number;
  /** The request target: the gateway's own start-up probe of the upstream is `/`. */
  readonly url: string;
}

const item = { description: 'An item', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } };

/** Two operations on the upstream: a GET of one item and a POST that makes one. */
function document(upstream: string): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: 'Pipelining fixture', version: '1.0.0' },
    'x-specgate-upstream': upstream,
    components: {
      schemas: { Item: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string' } } } },
    },
    paths: {
      '/items/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getItem', responses: { '200': item } },
      },
      '/items': {
        post: {
          operationId: 'createItem',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
          responses: { '201': item },
        },
      },
    },
  } as OpenApiDocument;
}

let seen: Seen[] = [];
/** When set, the first answer on the next new connection says `Connection: close` (and the connection ends). */
let closeNextConnection = false;
let server: Server;
let upstreamUrl: string;
let stopUpstream: () => Promise<void>;
const gateways: TestGateway[] = [];

beforeAll(async () => {
  const owed = new Map<Socket, number>();
  const ids = new Map<Socket, number>();
  const closing = new Set<Socket>();
  server = createServer((req, res) => {
    const socket = req.socket;
    if (!ids.has(socket)) {
      ids.set(socket, ids.size);
      if (closeNextConnection) {
        closeNextConnection = false;
        closing.add(socket);
      }
    }
    const before = owed.get(socket) ?? 0;
    owed.set(socket, before + 1);
    seen.push({ method: req.method!, socket: ids.get(socket)!, owed: before, url: req.url! });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      setTimeout(() => {
        owed.set(socket, owed.get(socket)! - 1);
        const id = req.method === 'POST' ? (JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id : req.url!.split('/').pop()!;
        const close = closing.delete(socket);
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) });
        res.end(JSON.stringify({ id }));
      }, 25);
    });
  });
  ({ url: upstreamUrl, stop: stopUpstream } = await listenLocally(server));
});
afterEach(() => {
  seen = [];
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  await stopUpstream?.();
});

async function gateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const started = await startTestGateway(document(upstreamUrl), { UPSTREAM_RESPONSE_VALIDATION: 'enforce', ...env });
  gateways.push(started);
  return started;
}

/** GETs item `g0`…`g{n-1}` at once; each answer's status and body. */
async function getMany(at: TestGateway, n: number): Promise<{ status: number; body: unknown }[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const res = await at.request(`/items/g${i}`, { headers: { origin: ALLOWED_ORIGIN } });
      return { status: res.status, body: await res.json() };
    }),
  );
}

const mostOwed = (method: string) => Math.max(...seen.filter((s) => s.method === method).map((s) => s.owed));

describe('UPSTREAM_PIPELINING', () => {
  it('sends GETs one at a time per upstream connection by default', async () => {
    const answers = await getMany(await gateway(), 12);
    expect(answers).toEqual(Array.from({ length: 12 }, (_, i) => ({ status: 200, body: { id: `g${i}` } })));
    expect(mostOwed('GET')).toBe(0);
  });

  it('sends up to UPSTREAM_PIPELINING GETs on one connection, each client getting its own answer', async () => {
    const answers = await getMany(await gateway({ UPSTREAM_PIPELINING: '4' }), 12);
    expect(answers).toEqual(Array.from({ length: 12 }, (_, i) => ({ status: 200, body: { id: `g${i}` } })));
    expect(mostOwed('GET')).toBeGreaterThan(0);
    expect(mostOwed('GET')).toBeLessThanOrEqual(3);
    expect(new Set(seen.map((s) => s.socket)).size).toBeLessThan(12);
  });

  it('never sends a POST on a connection that still owes answers', async () => {
    const at = await gateway({ UPSTREAM_PIPELINING: '4' });
    const posts = Array.from({ length: 4 }, (_, i) =>
      at.request('/items', { method: 'POST', headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ id: `p${i}` }) }).then(async (res) => ({ status: res.status, body: await res.json() })),
    );
    const [gets, created] = await Promise.all([getMany(at, 12), Promise.all(posts)]);
    expect(gets.every((g) => g.status === 200)).toBe(true);
    expect(created).toEqual(Array.from({ length: 4 }, (_, i) => ({ status: 201, body: { id: `p${i}` } })));
    expect(mostOwed('GET')).toBeGreaterThan(0);
    expect(mostOwed('POST')).toBe(0);
    // POSTs have connections of their own: none waits behind a client's GET for the connection to
    // free up. (The gateway's start-up probe, a GET of `/` on the plain pool, may leave an idle
    // connection a POST then reuses: it owes nothing.)
    const getSockets = new Set(seen.filter((s) => s.method === 'GET' && s.url.startsWith('/items/')).map((s) => s.socket));
    expect(seen.filter((s) => s.method === 'POST' && getSockets.has(s.socket))).toEqual([]);
  });

  it('answers every client when the upstream closes a connection with GETs still in flight on it', async () => {
    const at = await gateway({ UPSTREAM_PIPELINING: '8' });
    closeNextConnection = true;
    const answers = await getMany(at, 12);
    expect(answers).toEqual(Array.from({ length: 12 }, (_, i) => ({ status: 200, body: { id: `g${i}` } })));
    // The closed connection had requests behind its first answer: they were sent again on another.
    expect(seen.filter((s) => s.method === 'GET').length).toBeGreaterThan(12);
  });

  it('answers every other client when one goes away while its GET is pipelined with theirs', async () => {
    const at = await gateway({ UPSTREAM_PIPELINING: '8' });
    const leaving = new AbortController();
    const gone = at.request('/items/leaving', { headers: { origin: ALLOWED_ORIGIN }, signal: leaving.signal }).catch((error: Error) => error.name);
    const others = getMany(at, 12);
    setTimeout(() => leaving.abort(), 10);
    expect(await gone).toBe('AbortError');
    expect(await others).toEqual(Array.from({ length: 12 }, (_, i) => ({ status: 200, body: { id: `g${i}` } })));
    expect(mostOwed('GET')).toBeGreaterThan(0);
  });
});
