/**
 * Stage 1: gives every request an id (a sane incoming X-Request-ID, or a new UUID), echoes it,
 * and writes one access-log line when the response is finished. The per-request logger is made
 * only when something logs, and the access line only when its level is enabled: a child logger
 * and a listener per request cost more than routing and validation together.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { RequestStage } from './stage.js';
import { attachState, splitTarget, type RequestState } from './state.js';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A request's state whose `log` (bound to the request id) is created on first use. */
function stateFor(requestId: string, log: Logger, url: string): RequestState {
  let child: Logger | undefined;
  const { path, search } = splitTarget(url);
  return {
    requestId,
    path,
    search,
    get log() {
      child ??= log.child({ request_id: requestId });
      return child;
    },
  };
}

/** Creates the request-id stage. */
export function requestId(log: Logger): RequestStage {
  const accessLog = log.isLevelEnabled('info');
  return function requestIdStage(req, res, next) {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
    const state = stateFor(id, log, req.url ?? '/');
    attachState(res, state);
    res.setHeader('X-Request-ID', id);
    if (accessLog) {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log.info(
          { request_id: id, method: req.method, path: state.path, status: res.statusCode, operation: state.operation?.operationId, ms: Math.round(ms * 100) / 100 },
          'request',
        );
      });
    }
    next();
  };
}
