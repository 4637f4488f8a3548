/**
 * The only file with side effects: load config → build the token verifier (fetching the JWKS) →
 * open the database → migrate (retried in the background while the database is down) →
 * createApp → listen; SIGTERM/SIGINT stop accepting, finish in-flight requests, close the pool, exit 0.
 */
import { createApp } from './app.js';
import { createTokenVerifier } from './auth/verifier.js';
import { loadConfigOrExit } from './config.js';
import { loadContract } from './contract/spec.js';
import { openDatabase } from './db/open.js';
import { gateOnMigrations } from './db/readiness.js';
import { createHttpServer } from './http-server.js';
import { memoryStore } from './limits/memory-store.js';
import { redisStore } from './limits/redis-store.js';
import { describeError } from './log-safe.js';
import { createLogger } from './logger.js';
import { createDrainer } from './shutdown.js';

const config = loadConfigOrExit();

const log = createLogger(config.logLevel);
if (config.jwt.usingDevelopmentSecret) {
  log.warn('Neither JWT_SECRET nor JWKS_URL is set: using the documented development secret. Never do this in production.');
}
const contract = loadContract();
let verifier;
try {
  verifier = await createTokenVerifier(config.jwt, log);
} catch (error) {
  log.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const raw = await openDatabase(config.database);
let fatal = false;
const gate = gateOnMigrations(raw, {
  onApplied: (applied) => log.info({ applied }, 'migrations applied'),
  onUnavailable: (error, retryInMs) => log.warn({ cause: describeError(error), retryInMs }, 'database unavailable; serving 503 and retrying migrations'),
  onFatal: (error) => {
    log.fatal({ cause: describeError(error) }, 'migrations failed; refusing to serve');
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
const rateLimitStore = config.limits.redisUrl ? await redisStore(config.limits.redisUrl, config.limits.redisPrefix, log) : memoryStore();
const app = createApp({ config, contract, db: gate.db, log, verifier, rateLimitStore });
const server = createHttpServer(app, config.cors).listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ host: config.host, port, database: raw.driver }, `specgate listening on http://${config.host}:${port}`);
});
const drainer = createDrainer(server);

async function shutdown(signal: string) {
  if (drainer.draining) return;
  log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
  gate.stop();
  await drainer.drain();
  await raw.close().catch((error: unknown) => log.warn({ cause: describeError(error) }, 'closing the database failed'));
  await rateLimitStore.close();
  log.info({ connections: drainer.accepted }, 'stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
