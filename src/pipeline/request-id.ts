/**
 * Stage 1: gives every request an id (a sane incoming X-Request-ID, or a new UUID), echoes it,
 * and writes one access-log line when the response is finished.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import type { RequestState } from './state.js';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Creates the request-id stage. */
export function requestId(log: Logger): RequestHandler {
  return function requestIdStage(req, res, next) {
    const incoming = req.get('x-request-id');
    const id = incoming !== undefined && SANE_ID.test(incoming) ? incoming : randomUUID();
    const state: RequestState = { requestId: id, log: log.child({ request_id: id }) };
    res.locals.specgate = state;
    res.setHeader('X-Request-ID', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      state.log.info(
        { method: req.method, path: req.path, status: res.statusCode, operation: state.operation?.operationId, ms: Math.round(ms * 100) / 100 },
        'request',
      );
    });
    next();
  };
}
