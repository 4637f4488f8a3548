/**
 * specgate inside an existing Express 5 app: the same stages the standalone server runs, as one
 * Express middleware. Requests for a path the contract declares are served entirely by specgate
 * (CORS, limits, body, route, authentication, validation, the handler, every error in the uniform
 * body — a 405 or a preflight included); every other request goes on to the app's own routes
 * with `next()`. Mount it before any body parser of the app's, or the body is taken from
 * `req.body` as that parser left it. See docs/architecture.md.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Stage } from '../pipeline/pipeline.js';
import { compose } from '../pipeline/compose.js';
import { splitTarget } from '../pipeline/state.js';
import { unanswered } from '../pipeline/unanswered.js';

/** Express middleware serving every operation of the pipeline's contract; other paths go to next(). */
export function specgateExpress(stages: readonly Stage[]): RequestHandler {
  const routes = stages.find((stage) => stage.routes)?.routes;
  if (!routes) throw new Error('specgateExpress needs a pipeline with a route stage (from pipeline() or tasksPipeline()).');
  const run = compose(stages.flatMap((stage) => stage.handlers));
  return function specgateMiddleware(req: Request, res: Response, next: NextFunction) {
    const { path } = splitTarget(req.url);
    // A path the contract does not declare (or whose encoding does not decode) is the app's.
    const declared = routes.declares(path);
    if (!declared) return next();
    run(req, res, (error) => unanswered(res, error));
  };
}
