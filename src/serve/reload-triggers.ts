/**
 * What starts a live reload: SIGHUP, and with `--watch` a change of the contract's source. A
 * worker (WORKERS > 1) ignores SIGHUP — a terminal hang-up reaches the whole process group, and
 * the default action would kill it — and reloads only when its primary asks.
 */
import cluster from 'node:cluster';
import type { Logger } from '../logger.js';
import type { ContractSource } from './contract-source.js';
import type { Reloader } from './reload.js';

/** Reloads on SIGHUP and, when `watch`, on every (debounced) change of `source`; returns what stops watching. */
export function reloadOnTriggers(source: ContractSource, watch: boolean, reloader: Reloader, log: Logger): () => void {
  if (cluster.isWorker) {
    process.on('SIGHUP', () => log.debug('SIGHUP ignored in a worker: the primary reloads every worker in turn'));
    return () => {};
  }
  process.on('SIGHUP', () => void reloader.reload('SIGHUP'));
  if (!watch) return () => {};
  log.info({ source: source.name }, `watching ${source.name}: a change reloads the contract`);
  return source.watch(() => void reloader.reload('watch'));
}
