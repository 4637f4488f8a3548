/**
 * Runs a run of request stages as one Express layer. Express's router does per-layer work on
 * every request (path matching, URL bookkeeping, parameter processing) that our stages, all
 * mounted at `/`, never need; chaining them keeps Express's contract for each stage — `next()`,
 * `next(error)`, a thrown error or a rejected promise all end the run — at a fraction of the cost.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';

/** One middleware that runs `handlers` in order, as Express would if each were mounted alone. */
export function chain(handlers: readonly RequestHandler[]): RequestHandler {
  if (handlers.length === 1) return handlers[0]!;
  return function chainedStages(req: Request, res: Response, done: NextFunction) {
    let at = 0;
    const next = (error?: unknown) => {
      if (error !== undefined && error !== null && error !== 'route') return done(error);
      const handler = handlers[at++];
      if (handler === undefined) return done();
      try {
        const returned: unknown = handler(req, res, next);
        if (isThenable(returned)) returned.then(undefined, (reason: unknown) => done(reason ?? new Error('Rejected promise')));
      } catch (thrown) {
        done(thrown);
      }
    };
    next();
  };
}
