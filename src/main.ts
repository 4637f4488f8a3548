/**
 * The only file with side effects: load config (`.env` under the real environment) → build the
 * token verifier (fetching the JWKS) → open the database → migrate (retried in the background
 * while the database is down) → createApp → listen; SIGTERM/SIGINT stop accepting, finish
 * in-flight requests, close the pool, exit 0. Every fatal problem is one log line saying what to do.
 * With WORKERS > 1 this process becomes the primary (src/workers.ts) and each worker runs the rest.
 */
import cluster from 'node:cluster';
import { createApp } from './app.js';
import { createTokenVerifier } from './auth/verifier.js';
import { databaseRefusal, loadConfigOrExit } from './config/index.js';
import { loadContract } from './contract/spec.js';
import { databaseTarget, diagnoseDatabaseError } from './db/diagnose.js';
import type { Database } from './db/database.js';
import { openDatabase } from './db/open.js';
import { InternalFault } from './errors.js';
import { openIdempotencyStore } from './gateway/idempotency-open.js';
import { handlers } from './handlers/index.js';
import { gateOnMigrations } from './db/readiness.js';
import { createHttpServer } from './http-server.js';
import { memoryStore } from './limits/memory-store.js';
import { describeError } from './log-safe.js';
import { createLogger } from './logger.js';
import { closeMetrics, serveMetrics } from './metrics/server.js';
import { createDrainer } from './shutdown.js';

const config = loadConfigOrExit();
const refusal = databaseRefusal(config);
if (refusal !== undefined) {
  process.stderr.write(`Invalid configuration:\n  - ${refusal}\n`);
  process.exit(1);
}

const processLog = createLogger(config.logLevel);
// The primary (or the single process) warns once; workers stay quiet about the shared settings.
if (!cluster.isWorker) {
  for (const warning of config.warnings) processLog.warn(warning);
  if (config.jwt.usingDevelopmentSecret) {
    processLog.warn('Neither JWT_SECRET nor JWKS_URL is set: using the documented development secret. Never do this in production.');
  }
}
// What only some configurations use (workers, metrics, Redis) is imported only by them: start-up stays short.
if (cluster.isPrimary && config.workers > 1) await (await import('./workers.js')).superviseWorkers(config, processLog);
const log = cluster.isWorker ? processLog.child({ worker: cluster.worker!.id, pid: process.pid }) : processLog;
// Counted only when Prometheus can scrape them: no metrics stage at all without METRICS_PORT.
const metrics = config.metrics.port === undefined ? undefined : (await import('./metrics/metrics.js')).createMetrics();
if (metrics && cluster.isWorker) (await import('./metrics/cluster.js')).shareWithPrimary(metrics.registry);
const contract = loadContract();
let verifier;
try {
  verifier = await createTokenVerifier(config.jwt, log);
} catch (error) {
  log.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const database = databaseTarget(config.database);
/** What went wrong with the database, for an operator: our own diagnosis, or the fault we described ourselves. */
const diagnosis = (error: unknown) => (error instanceof InternalFault ? error.message : diagnoseDatabaseError(error, config.database));
let raw: Database;
try {
  raw = await openDatabase(config.database);
} catch (error) {
  log.fatal({ database, cause: describeError(error) }, `cannot open the database: ${diagnosis(error)}`);
  process.exit(1);
}
let fatal = false;
const gate = gateOnMigrations(raw, {
  onApplied: (applied) => log.info({ applied }, 'migrations applied'),
  onUnavailable: (error, retryInMs) =>
    log.warn({ database, cause: describeError(error), retryInMs }, `database unavailable: ${diagnosis(error)}; serving 503 and retrying migrations`),
  onFatal: (error) => {
    log.fatal({ database, cause: describeError(error) }, `migrations failed: ${diagnosis(error)}; refusing to serve`);
    fatal = true;
    void raw.close().finally(() => process.exit(1));
  },
});

// An edited migration or bad SQL stops us here, before listening; a database that is down does not.
await gate.firstAttempt;
// After a fatal migration error the pool is closing and the process exits 1; never listen.
if (fatal) await new Promise<never>(() => {});
if (!config.limits.enabled) log.warn('RATE_LIMITS=off: every x-specgate-rate-limit of the contract is ignored.');
// Budgets shared by every instance through Redis, or kept in this process; Redis may be down now, it reconnects by itself.
const rateLimitStore = config.limits.redisUrl ? await (await import('./limits/redis-store.js')).redisStore(config.limits.redisUrl, config.limits.redisPrefix, log) : memoryStore();
// Idempotency-Key records of operations sent upstream, shared through Redis when REDIS_URL is set (none for openapi.yaml as shipped).
const idempotencyStore = await openIdempotencyStore(config, contract, handlers, log);
const app = createApp({ config, contract, db: gate.db, log, verifier, rateLimitStore, idempotencyStore, metrics });
const server = createHttpServer(app, config.cors, config.http);
server.once('error', (error: NodeJS.ErrnoException) => {
  const problems: Record<string, string> = {
    EADDRINUSE: `port ${config.port} is in use on ${config.host}; stop the process using it or set PORT to a free port`,
    EACCES: `port ${config.port} on ${config.host} needs privileges this process lacks; set PORT to 1024 or above`,
    EADDRNOTAVAIL: `${config.host} is not an address of this machine; set HOST (0.0.0.0 listens on every interface)`,
  };
  log.fatal({ cause: describeError(error) }, problems[error.code ?? ''] ?? `cannot listen on ${config.host}:${config.port}`);
  void raw.close().finally(() => process.exit(1));
});
const drainer = createDrainer(server);
let metricsServer: Awaited<ReturnType<typeof serveMetrics>> | undefined;
if (metrics && !cluster.isWorker) {
  try {
    metricsServer = await serveMetrics(config.metrics, () => metrics.registry.metrics(), log);
  } catch {
    await raw.close().finally(() => process.exit(1));
  }
}
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ host: config.host, port, database: raw.driver }, `specgate listening on http://${config.host}:${port}`);
});

async function shutdown(signal: string) {
  if (drainer.draining) return;
  log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
  gate.stop();
  await drainer.drain();
  await closeMetrics(metricsServer);
  await raw.close().catch((error: unknown) => log.warn({ cause: describeError(error) }, 'closing the database failed'));
  await rateLimitStore.close();
  await idempotencyStore?.close();
  log.info({ connections: drainer.accepted, answered: drainer.answered }, 'stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
