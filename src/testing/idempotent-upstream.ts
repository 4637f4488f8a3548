/**
 * The idempotency tests' contract and upstream: POST /orders and PATCH /orders/{id} declare the
 * Idempotency-Key header (bearer), POST /public-orders declares it without security, POST /notes
 * does not declare it. The upstream counts what it receives, can hold its next answer until the
 * test lets it go, drop its next connection, refuse (409) or answer more than MAX_STORED_BODY.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OpenApiDocument } from '../contract/spec.js';
import { HEALTH_CHECK_AGENT } from '../gateway/health-checks.js';

const error = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const replayed = { 'Idempotent-Replayed': { schema: { type: 'string', enum: ['true'] } } };
const order = (status: string, location: boolean) => ({
  description: `The order (${status})`,
  headers: { ...replayed, ...(location ? { Location: { required: true, schema: { type: 'string' } } } : {}) },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
});
const errors = { '400': error, '401': error, '409': error, '422': error, '502': error, '503': error, '504': error };
const body = { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewOrder' } } } };
const keyed = [{ $ref: '#/components/parameters/IdempotencyKey' }];

/** The document, every operation sent to `upstream` (x-specgate-upstream on each path item). */
export function idempotentSpec(upstream: string): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: 'Idempotency fixture', version: '1.0.0' },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          schema: { type: 'string', minLength: 1, maxLength: 257, pattern: '^("[\\x21\\x23-\\x7e]{1,255}"|[\\x21\\x23-\\x7e]{1,255})$' },
        },
      },
      schemas: {
        NewOrder: { type: 'object', additionalProperties: false, required: ['item'], properties: { item: { type: 'string' } } },
        Order: { type: 'object', required: ['id', 'item'], properties: { id: { type: 'string' }, item: { type: 'string' } } },
        Error: { type: 'object', required: ['detail', 'status_code', 'error_type', 'request_id'] },
      },
    },
    paths: {
      '/orders': { 'x-specgate-upstream': upstream, post: { operationId: 'createOrder', security: [{ bearerAuth: [] }], parameters: keyed, requestBody: body, responses: { '201': order('created', true), ...errors } } },
      '/orders/{id}': {
        'x-specgate-upstream': upstream,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        patch: { operationId: 'updateOrder', security: [{ bearerAuth: [] }], parameters: keyed, requestBody: body, responses: { '200': order('updated', false), ...errors } },
      },
      '/public-orders': { 'x-specgate-upstream': upstream, post: { operationId: 'createPublicOrder', parameters: keyed, requestBody: body, responses: { '201': order('created', true), ...errors } } },
      '/notes': { 'x-specgate-upstream': upstream, post: { operationId: 'createNote', security: [{ bearerAuth: [] }], requestBody: body, responses: { '201': order('created', true), ...errors } } },
    },
  };
}

/** The length of the `big` item's name in its answer: just over the stored-body cap. */
export const BIG_ITEM_CHARS = 1024 * 1024 + 100;

/** A held answer: `arrived` resolves when the request reached the upstream; `release` lets it answer. */
export interface Held {
  readonly arrived: Promise<void>;
  release(): void;
}

/** A running idempotency upstream. */
export interface IdempotentUpstream {
  readonly url: string;
  /** Requests received, per operation path (`POST /orders` …). */
  hits(what: string): number;
  /** Holds the next request's answer until released. */
  holdNext(): Held;
  /** Drops the next request's connection without answering. */
  dropNext(): void;
  close(): Promise<void>;
}

/** Starts the upstream: each order gets the next id, `Location`, a session cookie and its hit number; item `refused` is 409, `big` answers BIG_ITEM_CHARS of name. */
export async function startIdempotentUpstream(): Promise<IdempotentUpstream> {
  const counts = new Map<string, number>();
  let held: { arrived: () => void; wait: Promise<void> } | undefined;
  let drop = false;
  let next = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      // The gateway's active health checks: answered, never counted as orders.
      if (req.headers['user-agent'] === HEALTH_CHECK_AGENT) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      const what = `${req.method} ${req.url!.replace(/^\/orders\/[^/?]+/, '/orders/{id}')}`;
      counts.set(what, (counts.get(what) ?? 0) + 1);
      if (drop) {
        drop = false;
        return void req.socket.destroy();
      }
      const hold = held;
      held = undefined;
      if (hold) {
        hold.arrived();
        await hold.wait;
      }
      const { item } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { item: string };
      if (item === 'refused') {
        res.writeHead(409, { 'content-type': 'application/json', 'x-upstream-reason': 'stock' });
        return void res.end(JSON.stringify({ detail: 'Out of stock' }));
      }
      const id = req.method === 'PATCH' ? req.url!.split('/').pop()! : `order-${++next}`;
      const answer = JSON.stringify({ id, item: item === 'big' ? 'x'.repeat(BIG_ITEM_CHARS) : item });
      const status = req.method === 'PATCH' ? 200 : 201;
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(status === 201 ? { location: `/orders/${id}` } : {}),
        'set-cookie': `session=${id}; HttpOnly`,
        'x-upstream-hit': String(counts.get(what)),
      });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: (what) => counts.get(what) ?? 0,
    holdNext() {
      let arrived!: () => void;
      let release!: () => void;
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      held = { arrived, wait: new Promise<void>((resolve) => (release = resolve)) };
      return { arrived: reached, release };
    },
    dropNext: () => void (drop = true),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
