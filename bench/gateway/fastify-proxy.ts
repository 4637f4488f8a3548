/**
 * Fastify 5 + @fastify/http-proxy (undici pool, keep-alive) + @fastify/cors + a jose bearer-JWT
 * hook behind the same verified-token cache specgate uses (src/auth/token-cache.ts), logger at warn:
 * the checks specgate makes on this workload, the Fastify way. The request is validated by the
 * route's schema (path parameter a UUID, If-None-Match a string), set through an onRoute hook
 * around the plugin because @fastify/http-proxy registers its routes without one. It does not
 * check the upstream's answer against a contract, and its errors are Fastify's, not the uniform body.
 */
import cors from '@fastify/cors';
import proxy from '@fastify/http-proxy';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { jwtVerify } from 'jose';
import { TokenCache } from '../../src/auth/token-cache.js';
import { BENCH_ORIGIN, BENCH_SECRET } from '../fixtures.js';
import { announce } from '../servers/announce.js';

const key = new TextEncoder().encode(BENCH_SECRET);
const cache = new TokenCache<string>();

/** Verifies the bearer token (cached until its exp), or answers 401. */
async function bearer(req: FastifyRequest): Promise<void> {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) throw Object.assign(new Error('A bearer token is required.'), { statusCode: 401 });
  const token = header.slice(7);
  const now = Date.now();
  if (cache.get(token, now) !== undefined) return;
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string') throw new Error('no sub');
    if (payload.exp !== undefined) cache.set(token, payload.sub, payload.exp, now);
  } catch {
    throw Object.assign(new Error('The bearer token is not valid.'), { statusCode: 401 });
  }
}

const taskSchema = {
  params: { type: 'object', properties: { taskId: { type: 'string', format: 'uuid' } }, required: ['taskId'] },
  headers: { type: 'object', properties: { 'if-none-match': { type: 'string' } } },
};

const app = Fastify({ logger: { level: 'warn' } });
await app.register(cors, { origin: [BENCH_ORIGIN], credentials: true });
app.addHook('onRequest', bearer);
await app.register(async (scope: FastifyInstance) => {
  scope.addHook('onRoute', (route) => {
    route.schema = taskSchema;
  });
  await scope.register(proxy, {
    upstream: process.argv[2]!,
    routes: ['/api/tasks/:taskId'],
    httpMethods: ['GET', 'HEAD'],
    undici: { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 },
  });
});
await app.listen({ port: 0, host: '127.0.0.1' });
announce(app.server);
