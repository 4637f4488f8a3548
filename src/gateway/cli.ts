/**
 * `npm run gateway -- <openapi file> [--upstream <url>] [--port N] [--host H]`: serves any OpenAPI
 * 3.0/3.1 document (YAML or JSON) in front of an upstream, with the API's configuration
 * (CORS_ORIGINS, JWT_SECRET / JWKS_URL, UPSTREAM_* …); --upstream overrides UPSTREAM_URL, --port
 * and --host override PORT and HOST; METRICS_PORT serves GET /metrics as for the API; REDIS_URL
 * shares rate-limit budgets and idempotency records between instances. SIGTERM/SIGINT
 * finish in-flight requests, then exit 0.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import { createTokenVerifier } from '../auth/verifier.js';
import { loadConfigOrExit, upstreamUrlProblem } from '../config/index.js';
import { createHttpServer } from '../http-server.js';
import { createLogger } from '../logger.js';
import { redisStore } from '../limits/redis-store.js';
import type { RateLimitStore } from '../limits/store.js';
import { createMetrics } from '../metrics/metrics.js';
import { closeMetrics, serveMetrics } from '../metrics/server.js';
import { createDrainer } from '../shutdown.js';
import { contractFrom, parseDocumentText, type OpenApiDocument } from '../contract/spec.js';
import { withOperationIds } from '../mock/server.js';
import { openIdempotencyStore } from './idempotency-open.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { createGatewayApp } from './server.js';

const USAGE = 'usage: npm run gateway -- <openapi.yaml|json> [--upstream <url>] [--port N] [--host H]';
const fail = (message: string): never => {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
};
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { upstream: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
});
const file = positionals[0];
if (file === undefined || positionals.length > 1) fail('Give exactly one OpenAPI document.');

const loaded = loadConfigOrExit();
if (values.upstream !== undefined) {
  const problem = upstreamUrlProblem('--upstream', values.upstream);
  if (problem) fail(problem);
}
const config = values.upstream === undefined ? loaded : { ...loaded, upstream: { ...loaded.upstream, url: values.upstream } };
const port = values.port === undefined ? config.port : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer from 0 to 65535 (got "${values.port}").`);
const host = values.host ?? config.host;
const log = createLogger(config.logLevel);
const source = readFileSync(file!, 'utf8');
const document = parseDocumentText(source) as OpenApiDocument;
const metrics = config.metrics.port === undefined ? undefined : createMetrics();
let built;
let metricsServer: Server | undefined;
let idempotencyStore: IdempotencyStore | undefined;
let rateLimitStore: RateLimitStore | undefined;
try {
  const verifier = await createTokenVerifier(config.jwt, log);
  // Shared by every instance through Redis when REDIS_URL is set; Redis may be down now, it reconnects by itself.
  idempotencyStore = await openIdempotencyStore(config, contractFrom(withOperationIds(document)), {}, log);
  rateLimitStore = config.limits.redisUrl === undefined ? undefined : await redisStore(config.limits.redisUrl, config.limits.redisPrefix, log);
  built = createGatewayApp({ config, document, log, verifier, metrics, idempotencyStore, rateLimitStore });
  if (metrics) metricsServer = await serveMetrics(config.metrics, () => metrics.registry.metrics(), log);
} catch (error) {
  log.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const { app, contract, forwarder, upgrade } = built;
const server = createHttpServer(app, config.cors);
if (upgrade) server.on('upgrade', upgrade);
server.listen(port, host, () => {
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  log.info(
    { operations: contract.operations.length, upstreams: Object.keys(forwarder?.health() ?? {}) },
    `gateway for "${String(document.info?.title ?? file)}" listening on http://${host}:${bound}`,
  );
});
const drainer = createDrainer(server);
async function shutdown() {
  if (drainer.draining) return;
  await drainer.drain();
  await closeMetrics(metricsServer);
  await forwarder?.close();
  await idempotencyStore?.close();
  await rateLimitStore?.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
