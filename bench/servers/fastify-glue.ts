/**
 * Contender: Fastify 5 + fastify-openapi-glue on our own openapi.yaml (routes, Ajv validation and
 * fast-json-stringify serializers from the spec), @fastify/cors, and jose behind a verified-token
 * cache (src/auth/token-cache.ts, the same kind specgate uses) — the strongest contract-first peer
 * a user would pick. Its getTask sends the ETag the contract declares and its CORS exposes the
 * headers specgate derives from the contract, so both servers' answers carry the same fields.
 * `argv[2] === 'no-cache'` verifies every token with jose.
 *
 * Without the error handler below, fastify-openapi-glue on this spec turns every 400 and 401 into
 * a 500 FST_ERR_FAILED_ERROR_SERIALIZATION: Fastify serialises its error `{statusCode, code,
 * error, message}` with the response schema the spec declares for that status (our Error, whose
 * required fields it lacks), and the serialiser throws.
 */
import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import openapiGlue from 'fastify-openapi-glue';
import { jwtVerify } from 'jose';
import { TokenCache } from '../../src/auth/token-cache.js';
import { loadContract } from '../../src/contract/spec.js';
import { etagOf } from '../../src/http/conditional.js';
import { contractCors } from '../../src/pipeline/cors.js';
import { BENCH_ORIGIN, BENCH_SECRET, createdTask, storedTask } from '../fixtures.js';
import { announce } from './announce.js';

const useCache = process.argv[2] !== 'no-cache';
const key = new TextEncoder().encode(BENCH_SECRET);
const cache = new TokenCache<string>();

/** An error with the status and error_type of the uniform body. */
class HttpError extends Error {
  constructor(readonly statusCode: number, readonly errorType: string, message: string) {
    super(message);
  }
}

const security = {
  async bearerAuth(req: FastifyRequest) {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw new HttpError(401, 'authentication_required', 'A bearer token is required.');
    const token = header.slice(7);
    const now = Date.now();
    let sub = useCache ? cache.get(token, now) : undefined;
    if (sub === undefined) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
        if (typeof payload.sub !== 'string') throw new Error('no sub');
        sub = payload.sub;
        if (useCache && payload.exp !== undefined) cache.set(token, sub, payload.exp, now);
      } catch {
        throw new HttpError(401, 'invalid_token', 'The bearer token is not valid.');
      }
    }
    (req as FastifyRequest & { userId?: string }).userId = sub;
  },
};

const service = {
  async getTask(req: FastifyRequest<{ Params: { taskId: string } }>, reply: FastifyReply) {
    const task = storedTask(req.params.taskId);
    // The contract's getTask answers with a strong ETag, as specgate's in-memory handler does.
    reply.header('ETag', etagOf(task));
    return task;
  },
  async createTask(req: FastifyRequest<{ Body: { title: string; description?: string | null } }>, reply: FastifyReply) {
    const task = createdTask(req.body);
    reply.code(201).header('Location', `/api/tasks/${task.id}`);
    return task;
  },
};

const app = Fastify({ logger: false, genReqId: () => randomUUID() });
// The same exposed headers specgate derives from the contract, so both answers carry the same fields.
const exposedHeaders = contractCors(loadContract()).exposedHeaders as string[];
await app.register(cors, { origin: [BENCH_ORIGIN], credentials: true, exposedHeaders });
app.addHook('onRequest', async (req, reply) => {
  reply.header('X-Request-ID', req.id);
});
// The uniform error body, so that a 400 or 401 is not a 500 (see the file comment).
app.setErrorHandler((error: FastifyError & { errorType?: string }, req, reply) => {
  const status = error.validation ? 400 : (error.statusCode ?? 500);
  const errorType = error.validation ? 'validation_error' : (error.errorType ?? (status === 401 ? 'authentication_required' : status < 500 ? 'bad_request' : 'internal_error'));
  reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify({
    detail: status < 500 ? error.message : 'Internal server error.',
    status_code: status,
    error_type: errorType,
    request_id: req.id,
  }));
});
await app.register(openapiGlue, { specification: new URL('../../openapi.yaml', import.meta.url).pathname, serviceHandlers: service, securityHandlers: security });
await app.listen({ port: 0, host: '127.0.0.1' });
announce(app.server);
// Exit normally on SIGTERM, so that `node --cpu-prof` (bench/profile.ts) writes its profile.
process.once('SIGTERM', () => process.exit(0));
