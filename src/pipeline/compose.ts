/**
 * The stage runner: runs stage functions in order on one request with Express's rules, so a stage
 * written for one host behaves the same on the other. `next()` goes to the next request stage,
 * `next(error)`, a throw or a rejected promise skip to the next error stage, and an error stage's
 * `next()` resumes the request stages after it. What falls off the end goes to `out`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isErrorStage, type ErrorStage, type Next, type RequestStage, type StageFunction } from './stage.js';

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';

/** The composed stages: run them on a request; `out` gets whatever no stage answered or handled. */
export type Composed = (req: IncomingMessage, res: ServerResponse, out: Next) => void;

/** Composes stage functions into one runner (built once, at start-up). */
export function compose(stages: readonly StageFunction[]): Composed {
  const count = stages.length;
  // Which stages are error stages, read once: a function's `length` is an accessor, and reading it
  // on every hop cost a generic property load per stage per request (callgrind, 2026-12-07).
  const handlesErrors = stages.map(isErrorStage);
  return function runStages(req, res, out) {
    let at = 0;
    const next: Next = (error) => {
      const failed = error !== undefined && error !== null;
      while (at < count) {
        const stage = stages[at]!;
        if (handlesErrors[at++] !== failed) continue;
        let returned: unknown;
        try {
          returned = failed ? (stage as ErrorStage)(error, req, res, next) : (stage as RequestStage)(req, res, next);
        } catch (thrown) {
          return next(thrown ?? new Error('A stage threw without an error'));
        }
        if (isThenable(returned)) returned.then(undefined, (reason: unknown) => next(reason ?? new Error('Rejected promise')));
        return;
      }
      out(failed ? error : undefined);
    };
    next();
  };
}
