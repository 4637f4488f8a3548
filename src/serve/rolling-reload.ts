/**
 * Live reload with WORKERS > 1: the primary serves no request and holds no app, so on SIGHUP (or
 * a watched change) it asks its workers to reload one at a time over the cluster IPC channel and
 * waits for each one's report before the next. A refusal stops the round: every worker then
 * still serves the same (running) contract. A worker's side is `answerReloads`.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logger.js';
import type { Reloader, ReloadOutcome } from './reload.js';

/** The message the primary sends a worker. */
const RELOAD = 'specgate:reload';
/** The message a worker answers with, carrying its outcome. */
const RELOADED = 'specgate:reload-result';
/** How long the primary waits for one worker's report. */
const WORKER_REPORT_MS = 120_000;

/** Asks one worker to reload and resolves with its report (`refused` when it does not report in time or exits). */
function reloadWorker(worker: Worker, trigger: string): Promise<ReloadOutcome> {
  return new Promise((resolve) => {
    const done = (outcome: ReloadOutcome) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      resolve(outcome);
    };
    const onMessage = (message: { type?: string; outcome?: ReloadOutcome }) => {
      if (message?.type === RELOADED && message.outcome) done(message.outcome);
    };
    const onExit = () => done('refused');
    const timer = setTimeout(() => done('refused'), WORKER_REPORT_MS);
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    worker.send({ type: RELOAD, trigger });
  });
}

/**
 * The primary's reload: every listening worker in turn; resolves with `refused` at the first
 * refusal. A worker still starting is skipped: it reads the document itself as it starts.
 */
export function rollingReloader(log: Logger): Reloader {
  let running: Promise<ReloadOutcome> | undefined;
  const listening = new Set<Worker>();
  cluster.on('listening', (worker) => listening.add(worker));
  cluster.on('exit', (worker) => listening.delete(worker));
  const round = async (trigger: string): Promise<ReloadOutcome> => {
    const workers = [...listening].filter((worker) => worker.isConnected());
    log.info({ trigger, workers: workers.length }, `reloading the contract in ${workers.length} workers, one at a time`);
    let applied = 0;
    for (const worker of workers) {
      const outcome = await reloadWorker(worker, trigger);
      if (outcome === 'refused') {
        log.warn({ worker: worker.id, applied }, `worker ${worker.id} refused the new contract: the round stops (${applied} worker(s) had applied it)`);
        return 'refused';
      }
      if (outcome === 'applied') applied++;
    }
    log.info({ trigger, applied }, `contract reload done in every worker (${applied} applied)`);
    return applied > 0 ? 'applied' : 'unchanged';
  };
  let stopped = false;
  return {
    stop() {
      stopped = true;
    },
    reload(trigger) {
      // Shutting down: each worker refuses on its own as it drains; the primary asks none of them.
      if (stopped) return Promise.resolve('refused');
      running = (running ?? Promise.resolve('unchanged' as ReloadOutcome)).then(() => round(trigger));
      return running;
    },
  };
}

/** In a worker: reloads when the primary asks, and reports the outcome back. */
export function answerReloads(reloader: Reloader): void {
  process.on('message', (message: { type?: string; trigger?: string }) => {
    if (message?.type !== RELOAD) return;
    void reloader.reload(message.trigger ?? 'primary').then((outcome) => process.send?.({ type: RELOADED, outcome }));
  });
}
