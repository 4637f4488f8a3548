/**
 * The shape of a pipeline stage, on Node's own request and response (node:http), so that the same
 * stages run on the standalone server and inside an Express app (src/adapters/express.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Passes control on: no argument to the next request stage, an error to the next error stage. */
export type Next = (error?: unknown) => void;

/** A request stage: answers, or calls next() / next(error), throws, or returns a rejecting promise. */
export type RequestStage = (req: IncomingMessage, res: ServerResponse, next: Next) => unknown;

/** An error stage (four parameters, as in Express): receives what a request stage failed with. */
export type ErrorStage = (error: unknown, req: IncomingMessage, res: ServerResponse, next: Next) => unknown;

/** Either kind of stage function; error stages are told apart by their arity. */
export type StageFunction = RequestStage | ErrorStage;

/** Whether a stage function handles errors (declares four parameters). */
export const isErrorStage = (stage: StageFunction): stage is ErrorStage => stage.length === 4;
