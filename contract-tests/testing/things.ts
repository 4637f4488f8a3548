/**
 * A tiny contract and a node:http server for it, for the checks the Tasks API cannot be made to
 * break through a proxy: one flag per broken promise, all off = a conforming server.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const error = { $ref: '#/components/schemas/Error' };
const errorResponse = { description: 'error', content: { 'application/json': { schema: error } } };

/** POST /things (required X-Tenant header, body {name}) → 201 + Location, linked to GET /things/{id}. */
export const THINGS_SPEC = {
  openapi: '3.1.0',
  info: { title: 'Things', version: '1' },
  paths: {
    '/things': {
      post: {
        operationId: 'createThing',
        parameters: [{ name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string', enum: ['acme'] } }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 20 } } } } },
        },
        responses: {
          '201': {
            description: 'created',
            headers: { Location: { required: true, schema: { type: 'string' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
            links: { GetThing: { operationId: 'getThing', parameters: { id: '$response.body#/id' } } },
          },
          '400': errorResponse,
        },
      },
    },
    '/things/{id}': {
      get: {
        operationId: 'getThing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: { '200': { description: 'the thing', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } }, '400': errorResponse, '404': errorResponse },
      },
    },
  },
  components: {
    schemas: {
      Thing: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } } },
      Error: { type: 'object', required: ['detail', 'status_code', 'error_type', 'request_id'], properties: { detail: { type: 'string' }, status_code: { type: 'integer' }, error_type: { type: 'string' }, request_id: { type: 'string' } } },
    },
  },
};

/** The promises a Things server can break. */
export interface ThingsFlaws {
  ignoresTenant?: boolean;
  noAllowHeader?: boolean;
  answersUndeclaredMethod?: boolean;
  textPlainBodies?: boolean;
  noLocation?: boolean;
  acceptsInvalidBody?: boolean;
  rejectsValidBody?: boolean;
  plainErrors?: boolean;
  forgetsCreated?: boolean;
}

/** Starts a Things server with the given flaws; returns its URL and a close function. */
export async function startThingsServer(flaws: ThingsFlaws = {}): Promise<{ url: string; close(): Promise<void> }> {
  const things = new Map<string, { id: string; name: string }>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const cors = req.headers.origin ? { 'access-control-allow-origin': req.headers.origin, vary: 'Origin' } : {};
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, { ...cors, 'content-type': flaws.textPlainBodies && status < 400 ? 'text/plain' : 'application/json', ...headers });
      res.end(text);
    };
    const fail = (status: number, type: string) =>
      send(status, flaws.plainErrors ? { message: type } : { detail: type, status_code: status, error_type: type, request_id: 'r' });
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const match = /^\/things\/([^/]+)$/.exec(path);
    if (path !== '/things' && !match) return fail(404, 'not_found');
    const allowed = path === '/things' ? 'POST' : 'GET';
    if (req.method !== allowed) {
      if (flaws.answersUndeclaredMethod) return send(200, {});
      return send(405, { detail: 'no', status_code: 405, error_type: 'method_not_allowed', request_id: 'r' }, flaws.noAllowHeader ? {} : { allow: allowed });
    }
    if (match) {
      if (!/^[0-9a-f-]{36}$/i.test(match[1]!)) return fail(400, 'validation_error');
      const thing = things.get(match[1]!);
      return thing ? send(200, thing) : fail(404, 'not_found');
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return fail(400, 'invalid_json');
    }
    const name = (body as { name?: unknown })?.name;
    const valid = typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).every((k) => k === 'name') && typeof name === 'string' && name.length >= 1 && name.length <= 20;
    const tenantOk = req.headers['x-tenant'] === 'acme' || flaws.ignoresTenant;
    if (flaws.rejectsValidBody && valid) return fail(422, 'validation_error');
    if ((!valid && !flaws.acceptsInvalidBody) || !tenantOk) return fail(400, 'validation_error');
    const thing = { id: randomUUID(), name: String(name) };
    if (!flaws.forgetsCreated) things.set(thing.id, thing);
    return send(201, thing, flaws.noLocation ? {} : { location: `/things/${thing.id}` });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
