/**
 * A specgate pipeline over a synthetic spec of N operations (argv[2]), each answered by the same
 * in-memory handler; prints `ready <port> <ms from spec load to listening>`.
 */
import { createApp } from '../../src/app.js';
import { createHttpServer } from '../../src/serve/http-server.js';
import { createTokenVerifier } from '../../src/auth/verifier.js';
import { loadConfig } from '../../src/config/index.js';
import type { Handlers } from '../../src/contract/handler.js';
import { contractFrom } from '../../src/contract/spec.js';
import { openPg } from '../../src/db/pg.js';
import { createLogger } from '../../src/logger.js';
import { BENCH_ORIGIN, BENCH_SECRET, UNUSED_DATABASE_URL } from '../fixtures.js';
import { syntheticSpec } from '../synthetic-spec.js';
import { announce } from './announce.js';

const n = Number(process.argv[2] ?? 10);
const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: BENCH_SECRET, CORS_ORIGINS: BENCH_ORIGIN, LOG_LEVEL: 'silent' });
// The synthetic handlers never query; the pool never connects (see specgate.ts).
const db = openPg({ url: UNUSED_DATABASE_URL });
const log = createLogger('silent');
const verifier = await createTokenVerifier(config.jwt, log);
const started = performance.now();
const contract = contractFrom(syntheticSpec(n));
const answer = async (input: { path: Record<string, string> }) => ({ status: 200, body: { id: input.path.itemId, name: 'item' } });
const handlers = Object.fromEntries(contract.operations.map((op) => [op.operationId, answer])) as unknown as Handlers;
const app = createApp({ config, contract, db, log, verifier, handlers });
const server = createHttpServer(app, config.cors).listen(0, '127.0.0.1', () => announce(server, performance.now() - started));
process.once('SIGTERM', () => process.exit(0));
