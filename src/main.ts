/**
 * The only file with side effects: load config → fetch the JWKS → open the database → migrate →
 * createApp → listen; SIGTERM/SIGINT stop accepting, finish in-flight requests, close the pool, exit 0.
 */
import { createApp } from './app.js';
import { createTokenVerifier } from './auth/verifier.js';
import { ConfigError, loadConfig } from './config.js';
import { loadContract } from './contract/spec.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import { createHttpServer } from './http-server.js';
import { createLogger } from './logger.js';

const SHUTDOWN_GRACE_MS = 10_000;

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

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
const db = await openDatabase(config.database);
try {
  const applied = await migrate(db);
  if (applied.length > 0) log.info({ applied }, 'migrations applied');
} catch (error) {
  log.fatal({ cause: error instanceof Error ? error.message : String(error) }, 'migrations failed');
  await db.close();
  process.exit(1);
}

const app = createApp({ config, contract, db, log, verifier });
const server = createHttpServer(app).listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ host: config.host, port, database: db.driver }, `specgate listening on http://${config.host}:${port}`);
});

async function shutdown(signal: string) {
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  force.unref();
  server.close(() => {
    void db.close().finally(() => {
      log.info('stopped');
      process.exit(0);
    });
  });
  server.closeIdleConnections();
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
