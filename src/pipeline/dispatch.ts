/**
 * Stage 7: calls the operation's handler with the validated input and the context, checks the
 * result against the contract outside production, and writes it. The only code that writes a
 * successful response.
 */
import type { RequestHandler } from 'express';
import type { Context, Handlers, OperationId } from '../contract/handler.js';
import type { OperationValidators } from '../contract/operation-validators.js';
import { checkResponse } from '../contract/response-check.js';
import { stateOf } from './state.js';

interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string | number>>;
}

type AnyHandler = (input: unknown, ctx: Context) => Promise<HandlerResult>;

/** Creates the dispatch stage over the handler map. */
export function dispatch(handlers: Handlers, validators: ReadonlyMap<string, OperationValidators>, ctx: Omit<Context, 'log'>): RequestHandler {
  const byId = handlers as unknown as Record<OperationId, AnyHandler>;
  return async function dispatchStage(_req, res) {
    const state = stateOf(res);
    const operationId = state.operation!.operationId;
    const { path, query, body } = state.input!;
    const result = await byId[operationId as OperationId]({ path, query, body, userId: state.userId }, { ...ctx, log: state.log });
    checkResponse(validators.get(operationId)!, result.status, result.body);
    res.status(result.status);
    for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
    if (result.body === undefined) res.end();
    else res.json(result.body);
  };
}
