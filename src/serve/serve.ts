/**
 * The one way a process serves: every entry point (`npm start`, `npm run gateway`, `npm run mock`)
 * turns its arguments and config into a `build` function and calls serve(), which does the rest
 * the same way for all three — WORKERS (node:cluster: this process becomes the primary and each
 * worker runs the entry again), the token verifier, REDIS_URL-shared rate limits, METRICS_PORT,
 * OpenTelemetry tracing (OTEL_*, in every worker), the node:http host with the HTTP timeouts and
 * WebSocket upgrades, a port in use said in one
 * line, the start and stop log lines, and SIGTERM/SIGINT: stop accepting, close WebSockets with
 * 1001, let in-flight requests finish within the drain window, close every resource, export the
 * pending spans (at most TRACE_FLUSH_MS), exit 0.
 * With `reload` (the gateway and the mock), SIGHUP and `--watch` reload the contract without a
 * restart (src/serve/reload.ts; with WORKERS, one worker at a time: src/serve/rolling-reload.ts).
 */
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { createTokenVerifier, type TokenVerifier } from '../auth/verifier.js';
import { SHUTDOWN_GRACE_MS } from '../config/http.js';
import type { Config } from '../config/index.js';
import type { OpenApiDocument } from '../contract/spec.js';
import { memoryStore } from '../limits/memory-store.js';
import type { RateLimitStore } from '../limits/store.js';
import { describeError } from '../log-safe.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { closeMetrics, serveMetrics } from '../metrics/server.js';
import { createHttpServer } from './http-server.js';
import type { ContractSource } from './contract-source.js';
import { drainWindowMs, listenProblem } from './listen-problem.js';
import { createReloader } from './reload.js';
import { reloadOnTriggers } from './reload-triggers.js';
import type { ServedApp } from './served-app.js';
import { processTracing, setProcessTracing } from '../tracing/process-tracing.js';
import { createDrainer } from './shutdown.js';
import { swappableApp } from './swappable-app.js';

/** How long SIGTERM waits for pending spans to be exported before the process exits. */
export const TRACE_FLUSH_MS = 2000;

/** What serve() opens once per process and hands to `build`. */
export interface Resources {
  readonly config: Config;
  /** This process's logger (a worker's carries its id and pid). */
  readonly log: Logger;
  readonly verifier: TokenVerifier;
  /** Rate-limit budgets: Redis when REDIS_URL is set (shared by every instance and worker), else this process's memory. */
  readonly rateLimitStore: RateLimitStore;
  /** Request counters, when METRICS_PORT is set. */
  readonly metrics: Metrics | undefined;
}

/** Live reload of the contract: where it comes from, the document served first, and the policy. */
export interface ReloadOptions {
  readonly source: ContractSource;
  /** The document `build` is first given (already read from `source`). */
  readonly document: OpenApiDocument;
  /** `--allow-breaking` or RELOAD_ALLOW_BREAKING=true: apply a breaking change. */
  readonly allowBreaking: boolean;
  /** `--watch`: reload when the source changes, not only on SIGHUP. */
  readonly watch: boolean;
}

/** What an entry point gives serve(). */
export interface ServeOptions {
  readonly config: Config;
  /** The process logger (from config.logLevel). */
  readonly log: Logger;
  /** Where to listen (the config's PORT and HOST unless a command-line flag overrides them). */
  readonly port: number;
  readonly host: string;
  /** Whether requests may go upstream: the drain window then covers UPSTREAM_TIMEOUT_MS. */
  readonly sendsUpstream: boolean;
  /** Builds the app (in each worker with WORKERS > 1) for `document` (reload's; the entry's own without reload); a throw is one fatal line and exit 1. */
  build(resources: Resources, document?: OpenApiDocument): Promise<ServedApp & { readonly close: () => Promise<void> }>;
  /** Live reload on SIGHUP (and `--watch`); without it SIGHUP keeps Node's default. */
  readonly reload?: ReloadOptions;
  /** The start-up line, given the bound port. */
  describe(port: number, app: ServedApp): { readonly message: string; readonly fields?: Record<string, unknown> };
}

/** Serves until SIGTERM or SIGINT, then exits 0 (1 when it cannot start). */
export async function serve(options: ServeOptions): Promise<void> {
  const { config } = options;
  const drainMs = drainWindowMs(config, options.sendsUpstream, SHUTDOWN_GRACE_MS);
  if (!cluster.isWorker) for (const warning of config.warnings) options.log.warn(warning);
  if (cluster.isPrimary && config.workers > 1) {
    if (options.reload) reloadOnTriggers(options.reload.source, options.reload.watch, (await import('./rolling-reload.js')).rollingReloader(options.log), options.log);
    await (await import('./workers.js')).superviseWorkers(config, options.log, { host: options.host, drainMs });
    return;
  }
  const log = cluster.isWorker ? options.log.child({ worker: cluster.worker!.id, pid: process.pid }) : options.log;
  /** A start-up failure: one fatal line, on stderr when the log level hides it (LOG_LEVEL=silent), then exit 1. */
  const fail = (message: string): never => {
    if (log.isLevelEnabled('fatal')) log.fatal(message);
    else process.stderr.write(`${message}\n`);
    process.exit(1);
  };
  // What only some configurations use (metrics, Redis) is imported only by them: start-up stays short.
  const metrics = config.metrics.port === undefined ? undefined : (await import('../metrics/metrics.js')).createMetrics();
  if (metrics && cluster.isWorker) (await import('../metrics/cluster.js')).shareWithPrimary(metrics.registry);
  // Every worker traces and exports for itself; the primary serves nothing.
  if (config.tracing.enabled) setProcessTracing(await (await import('../tracing/start.js')).startTracing(config.tracing, log));
  let verifier: TokenVerifier;
  let rateLimitStore: RateLimitStore;
  let first: Awaited<ReturnType<ServeOptions['build']>>;
  try {
    verifier = await createTokenVerifier(config.jwt, log);
    // Redis may be down now: the store reconnects by itself.
    rateLimitStore = config.limits.redisUrl ? await (await import('../limits/redis-store.js')).redisStore(config.limits.redisUrl, config.limits.redisPrefix, log) : memoryStore();
    first = await options.build({ config, log, verifier, rateLimitStore, metrics }, options.reload?.document);
  } catch (error) {
    return fail(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  // With reload the server's listeners delegate to the current app (src/serve/swappable-app.ts); without it they are the app's own.
  const resources = { config, log, verifier, rateLimitStore, metrics };
  const swappable = options.reload ? swappableApp(first, drainMs, log) : undefined;
  const app = swappable ?? first;
  const server = createHttpServer(app.listener, config.cors, config.http);
  const upgrade = swappable?.upgrade ?? first.upgrade;
  if (upgrade) server.on('upgrade', upgrade);
  let stopReloading = () => {};
  if (swappable && options.reload) {
    const reloader = createReloader({ ...options.reload, app: swappable, log, metrics, build: (document) => options.build(resources, document) });
    if (cluster.isWorker) (await import('./rolling-reload.js')).answerReloads(reloader);
    const stopWatching = reloadOnTriggers(options.reload.source, options.reload.watch, reloader, log);
    // Once draining, the contract stays as it is: no swap under requests that are finishing.
    stopReloading = () => (reloader.stop(), stopWatching());
  }
  const drainer = createDrainer(server);
  let metricsServer: Server | undefined;
  const closeAll = async () => {
    await closeMetrics(metricsServer);
    await app.close().catch((error: unknown) => log.warn({ cause: describeError(error) }, 'closing the app failed'));
    await rateLimitStore.close();
    await processTracing()?.shutdown(TRACE_FLUSH_MS);
  };
  server.once('error', (error: NodeJS.ErrnoException) => {
    log.fatal({ cause: describeError(error) }, listenProblem(error.code, options.host, options.port));
    void closeAll().finally(() => process.exit(1));
  });
  if (metrics && !cluster.isWorker) {
    try {
      metricsServer = await serveMetrics(config.metrics, () => metrics.registry.metrics(), log);
    } catch {
      await closeAll();
      process.exit(1);
    }
  }
  server.listen(options.port, options.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const { message, fields } = options.describe(port, first);
    log.info({ host: options.host, port, ...fields }, message);
  });
  const shutdown = async (signal: string) => {
    if (drainer.draining) return;
    log.info({ signal, drainMs }, 'shutting down: no new connections, finishing in-flight requests');
    stopReloading();
    app.drain();
    await drainer.drain(drainMs);
    await closeAll();
    log.info({ connections: drainer.accepted, answered: drainer.answered }, 'stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
