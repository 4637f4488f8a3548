/**
 * `npm start`: the Tasks API. Loads config (`.env` under the real environment), opens the
 * database and migrates it (retried in the background while the database is down), and hands the
 * rest to serve() (src/serve/serve.ts): workers, metrics, Redis, the HTTP host, the drain.
 * Every fatal problem is one log line saying what to do.
 */
import cluster from 'node:cluster';
import { tasksPipeline } from './app.js';
import { databaseRefusal, loadConfigOrExit } from './config/index.js';
import { loadContract } from './contract/spec.js';
import { databaseTarget, diagnoseDatabaseError } from './db/diagnose.js';
import { openDatabase } from './db/open.js';
import { gateOnMigrations } from './db/readiness.js';
import { InternalFault } from './errors.js';
import { openIdempotencyStore } from './gateway/idempotency-open.js';
import { upstreamRouting } from './gateway/upstreams.js';
import { handlers } from './handlers/index.js';
import { describeError } from './log-safe.js';
import { createLogger } from './logger.js';
import { serve } from './serve/serve.js';
import { servedApp } from './serve/served-app.js';

const config = loadConfigOrExit();
const refusal = databaseRefusal(config);
if (refusal !== undefined) {
  process.stderr.write(`Invalid configuration:\n  - ${refusal}\n`);
  process.exit(1);
}
const processLog = createLogger(config.logLevel);
if (!cluster.isWorker && config.jwt.usingDevelopmentSecret) {
  processLog.warn('Neither JWT_SECRET nor JWKS_URL is set: using the documented development secret. Never do this in production.');
}
if (!cluster.isWorker && !config.limits.enabled) processLog.warn('RATE_LIMITS=off: every x-specgate-rate-limit of the contract is ignored.');
const contract = loadContract();

await serve({
  config,
  log: processLog,
  port: config.port,
  host: config.host,
  sendsUpstream: upstreamRouting(contract, handlers, config.upstream.url).byOperation.size > 0,
  async build({ log, verifier, rateLimitStore, metrics }) {
    const database = databaseTarget(config.database);
    /** What went wrong with the database, for an operator: our own diagnosis, or the fault we described ourselves. */
    const diagnosis = (error: unknown) => (error instanceof InternalFault ? error.message : diagnoseDatabaseError(error, config.database));
    let raw;
    try {
      raw = await openDatabase(config.database);
    } catch (error) {
      log.fatal({ database, cause: describeError(error) }, `cannot open the database: ${diagnosis(error)}`);
      process.exit(1);
    }
    const db = raw;
    let fatal = false;
    const gate = gateOnMigrations(db, {
      onApplied: (applied) => log.info({ applied }, 'migrations applied'),
      onUnavailable: (error, retryInMs) =>
        log.warn({ database, cause: describeError(error), retryInMs }, `database unavailable: ${diagnosis(error)}; serving 503 and retrying migrations`),
      onFatal: (error) => {
        log.fatal({ database, cause: describeError(error) }, `migrations failed: ${diagnosis(error)}; refusing to serve`);
        fatal = true;
        void db.close().finally(() => process.exit(1));
      },
    });
    // An edited migration or bad SQL stops us here, before listening; a database that is down does not.
    await gate.firstAttempt;
    // After a fatal migration error the pool is closing and the process exits 1; never listen.
    if (fatal) await new Promise<never>(() => {});
    // Idempotency-Key records of operations sent upstream, shared through Redis when REDIS_URL is set (none for openapi.yaml as shipped).
    const idempotencyStore = await openIdempotencyStore(config, contract, handlers, log);
    const app = servedApp(tasksPipeline({ config, contract, db: gate.db, log, verifier, rateLimitStore, idempotencyStore, metrics }));
    return {
      ...app,
      close: async () => {
        gate.stop();
        await app.close();
        await db.close().catch((error: unknown) => log.warn({ cause: describeError(error) }, 'closing the database failed'));
      },
    };
  },
  describe: (port) => ({ message: `specgate listening on http://${config.host}:${port}`, fields: { database: config.database.driver } }),
});
