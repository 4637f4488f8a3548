/**
 * What the stages learn about a request and hand to later stages, kept in res.locals so that
 * req.params/query/body are never mutated by our code.
 */
import type { Response } from 'express';
import type { OperationInfo } from '../contract/spec.js';
import type { Logger } from '../logger.js';

/** Per-request facts, filled in stage by stage. */
export interface RequestState {
  requestId: string;
  readonly log: Logger;
  operation?: OperationInfo;
  /** Path parameters by their spec names, as the route stage matched them. */
  pathParams?: Record<string, string>;
  userId?: string;
  /** The verified token's claims, when a bearer token authenticated the request. */
  claims?: Readonly<Record<string, unknown>>;
  /** The validated, coerced input the handler receives. */
  input?: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, unknown>; body: unknown };
  /** A body-parsing failure, reported only after the caller is authenticated. */
  bodyError?: unknown;
}

/** The state of the request this response answers (set by the request-id stage). */
export function stateOf(res: Response): RequestState {
  return res.locals.specgate as RequestState;
}
