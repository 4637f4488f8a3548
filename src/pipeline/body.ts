/**
 * Stage 4: parses JSON bodies up to the limit. A parse failure is not answered here: it is kept
 * and reported after authentication, so an unauthenticated caller gets 401 whatever its body.
 */
import express, { type RequestHandler } from 'express';
import { stateOf } from './state.js';

/** The body size limit, as the Error detail and the spec describe it. */
export const BODY_LIMIT = '1 MB';

/** Creates the body stage. */
export function jsonBody(): RequestHandler {
  const parse = express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] });
  return function bodyStage(req, res, next) {
    parse(req, res, (error?: unknown) => {
      if (error) stateOf(res).bodyError = error;
      next();
    });
  };
}
