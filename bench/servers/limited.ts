/**
 * The rate-limit and metrics rows of `npm run bench:scaling`: specgate standalone in production
 * with the in-memory getTask handler, where getTask carries a `by: caller` limit too large to be
 * reached (1,000,000 a minute), so every request pays for the decision and none is refused.
 * argv[2]: `off` (RATE_LIMITS=off, the baseline), `memory` (in-memory store), `redis` (the
 * shared Redis at BENCH_REDIS_URL, a key prefix of this run's own), `metrics` (limits off, the
 * metrics stage on).
 */
import { randomBytes } from 'node:crypto';
import { tasksPipeline } from '../../src/app.js';
import { mount } from '../../src/pipeline/pipeline.js';
import { createTokenVerifier } from '../../src/auth/verifier.js';
import { loadConfig } from '../../src/config/index.js';
import type { Handlers } from '../../src/contract/handler.js';
import { contractFrom, loadContract } from '../../src/contract/spec.js';
import { openPg } from '../../src/db/pg.js';
import { handlers } from '../../src/handlers/index.js';
import { createHttpServer } from '../../src/serve/http-server.js';
import { etagOf } from '../../src/http/conditional.js';
import { memoryStore } from '../../src/limits/memory-store.js';
import { redisStore } from '../../src/limits/redis-store.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { BENCH_ORIGIN, BENCH_SECRET, storedTask, UNUSED_DATABASE_URL } from '../fixtures.js';
import { announce } from './announce.js';

const mode = process.argv[2] ?? 'off';
const limited = mode === 'memory' || mode === 'redis';
const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: BENCH_SECRET, CORS_ORIGINS: BENCH_ORIGIN, LOG_LEVEL: 'silent', RATE_LIMITS: limited ? 'on' : 'off' });
const log = createLogger('silent');

const loaded = loadContract();
const document = structuredClone(loaded.document);
const getTask = document.paths['/api/tasks/{taskId}'].get;
getTask['x-specgate-rate-limit'] = { requests: 1_000_000, per: 60, by: 'caller' };
getTask.responses['429'] = { $ref: '#/components/responses/TooManyRequests' };
const contract = { ...contractFrom(document, loaded.source), version: loaded.version };

const inMemory: Handlers = {
  ...handlers,
  getTask: async (input) => {
    const task = storedTask(input.path.taskId);
    return { status: 200, body: task, headers: { ETag: etagOf(task) } };
  },
};
const store = mode === 'redis' ? await redisStore(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', `bench:${randomBytes(6).toString('hex')}:`, log) : memoryStore();
const verifier = await createTokenVerifier(config.jwt, log);
const stages = tasksPipeline({
  config,
  contract,
  db: openPg({ url: UNUSED_DATABASE_URL }),
  log,
  verifier,
  handlers: inMemory,
  rateLimitStore: store,
  metrics: mode === 'metrics' ? createMetrics() : undefined,
});
const server = createHttpServer(mount(stages.stages), config.cors).listen(0, '127.0.0.1', () => announce(server));
process.once('SIGTERM', () => void store.close().finally(() => process.exit(0)));
