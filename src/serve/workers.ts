/**
 * WORKERS > 1: the primary process forks that many workers (node:cluster), each running the whole
 * server (src/main.ts) on the one shared port; the primary answers no API request itself and
 * hands connections to the workers in turn. A worker that dies after it listened is replaced at
 * once (one error line says so); one that dies before it listened (a fatal start-up problem, say a
 * migration that fails) stops them all with exit 1, as a single process would. SIGTERM or SIGINT
 * to the primary sends SIGTERM to every worker, each drains as a single process does (every request
 * read is answered or not executed), and the primary exits 0 once all have exited.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import type { Config } from '../config/index.js';
import type { Logger } from '../logger.js';
import { clusterScrape } from '../metrics/cluster.js';
import { closeMetrics, serveMetrics } from '../metrics/server.js';

/** How long past the workers' own drain window the primary waits before it kills what is left. */
const KILL_MARGIN_MS = 5000;

/** Where the workers listen and how long each may drain. */
export interface WorkerPlan {
  readonly host: string;
  readonly drainMs: number;
}

/** Runs the primary: forks, replaces, serves the summed metrics, and exits when its workers have. */
export async function superviseWorkers(config: Config, log: Logger, plan: WorkerPlan): Promise<never> {
  const killAfterMs = plan.drainMs + KILL_MARGIN_MS;
  const live = new Set<Worker>();
  const listening = new Set<Worker>();
  let stopping = false;
  let failed = false;
  let announced = false;
  let metricsServer: Server | undefined;

  const fork = () => {
    const worker = cluster.fork();
    live.add(worker);
    return worker;
  };
  const finish = async () => {
    await closeMetrics(metricsServer);
    log.info({ failed }, 'all workers stopped');
    process.exit(failed ? 1 : 0);
  };
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason, workers: live.size }, 'shutting down: every worker finishes its in-flight requests');
    for (const worker of live) worker.process.kill('SIGTERM');
    setTimeout(() => {
      log.error({ workers: live.size }, `workers still running ${killAfterMs} ms after SIGTERM; killing them`);
      failed = true;
      for (const worker of live) worker.process.kill('SIGKILL');
    }, killAfterMs).unref();
    if (live.size === 0) void finish();
  };

  cluster.on('listening', (worker, address) => {
    listening.add(worker);
    if (announced || listening.size < config.workers) return;
    announced = true;
    log.info({ workers: config.workers, host: plan.host, port: address.port }, `specgate listening on http://${plan.host}:${address.port} with ${config.workers} workers`);
  });
  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    const listened = listening.delete(worker);
    const who = { worker: worker.id, pid: worker.process.pid, code, signal };
    if (stopping) {
      // Killed by our own SIGTERM before it had installed its handler is a clean stop too.
      if (code !== 0 && signal !== 'SIGTERM') failed = true;
      if (live.size === 0) void finish();
      return;
    }
    if (!listened) {
      log.fatal(who, 'a worker stopped before it listened; stopping the others');
      failed = true;
      return stop('a worker failed to start');
    }
    log.error(who, 'worker died unexpectedly; starting a replacement');
    fork();
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  log.info({ workers: config.workers }, `starting ${config.workers} workers`);
  for (let i = 0; i < config.workers; i++) fork();
  if (config.metrics.port !== undefined) {
    try {
      metricsServer = await serveMetrics(config.metrics, clusterScrape(), log);
    } catch {
      failed = true;
      stop('metrics listener failed');
    }
  }
  return new Promise<never>(() => {});
}
