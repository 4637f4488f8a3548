/**
 * Contenders (c) and (d): the full specgate pipeline — CORS, routing, JWT, validation (requests,
 * and responses unless NODE_ENV=production), error formatter — with the in-memory handler
 * (`memory`) or the real Tasks handlers on a database (`pglite`, `pg` with DATABASE_URL), on the
 * standalone node:http host, or (`argv[3] === 'express'`) inside an Express 5 app through
 * specgateExpress, beside a route of the app's own.
 */
import express from 'express';
import { specgateExpress } from '../../src/adapters/express.js';
import { tasksPipeline } from '../../src/app.js';
import { mount } from '../../src/pipeline/pipeline.js';
import { createHttpServer } from '../../src/serve/http-server.js';
import { createTokenVerifier } from '../../src/auth/verifier.js';
import { loadConfig } from '../../src/config/index.js';
import type { Handlers } from '../../src/contract/handler.js';
import { loadContract } from '../../src/contract/spec.js';
import { openPg } from '../../src/db/pg.js';
import { createTestDatabase } from '../../src/testing/database.js';
import { handlers } from '../../src/handlers/index.js';
import { etagOf } from '../../src/http/conditional.js';
import { createLogger } from '../../src/logger.js';
import { setProcessTracing } from '../../src/tracing/process-tracing.js';
import { BENCH_ORIGIN, BENCH_SECRET, createdTask, storedTask, UNUSED_DATABASE_URL } from '../fixtures.js';
import { announce } from './announce.js';

const mode = process.argv[2] ?? 'memory';
// The POST workload is one caller creating thousands of tasks: createTask's rate limit would answer
// 429 after 60, so the pipeline comparison runs without limits (`npm run bench:scaling` measures them).
// OTEL_* pass through (bench/tracing.ts turns tracing on with them); unset, as everywhere else, tracing is off.
const otel = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('OTEL_')));
const config = loadConfig({ NODE_ENV: process.env.NODE_ENV ?? 'production', JWT_SECRET: BENCH_SECRET, CORS_ORIGINS: BENCH_ORIGIN, LOG_LEVEL: 'silent', RATE_LIMITS: 'off', ...otel });
// The in-memory handler never queries: its pool points at the local server and never connects,
// so peak RSS is the pipeline's, not an unused embedded database's. The database contenders get a
// database of their own: in-memory PGlite, or a fresh database on the server at TEST_DATABASE_URL.
process.env.TEST_DB = mode === 'pg' ? 'pg' : 'pglite';
const { db, drop } =
  mode === 'memory' ? { db: openPg({ url: UNUSED_DATABASE_URL }), drop: async () => {} } : await createTestDatabase();
process.once('SIGTERM', () => void drop().finally(() => process.exit(0)));

const inMemory: Handlers = {
  ...handlers,
  getTask: async (input) => {
    const task = storedTask(input.path.taskId);
    return { status: 200, body: task, headers: { ETag: etagOf(task) } };
  },
  createTask: async (input) => {
    const task = createdTask(input.body);
    return { status: 201, body: task, headers: { Location: `/api/tasks/${task.id}` } };
  },
};

const log = createLogger('silent');
const verifier = await createTokenVerifier(config.jwt, log);
// As serve() does: the SDK is loaded only when OTEL_* turns tracing on.
if (config.tracing.enabled) setProcessTracing(await (await import('../../src/tracing/start.js')).startTracing(config.tracing, log));
// Start-up is measured from spec load to listening; the database and the key sources are ready.
const started = performance.now();
const { stages } = tasksPipeline({ config, contract: loadContract(), db, log, verifier, handlers: mode === 'memory' ? inMemory : handlers });
const app = process.argv[3] === 'express' ? express().disable('x-powered-by').disable('etag').use(specgateExpress(stages)).get('/own', (_req, res) => void res.json({ own: true })) : mount(stages);
const server = createHttpServer(app, config.cors).listen(0, '127.0.0.1', () => announce(server, performance.now() - started));
