/**
 * Stage 7: calls the operation's handler with the validated input and the context, checks the
 * result against the contract outside production, and writes it as the media type the spec
 * declares for that status. The only code that writes a successful response.
 */
import type { RequestHandler } from 'express';
import type { ValidatorSet } from '../contract/operation-validators.js';
import { checkResponse } from '../contract/response-check.js';
import type { Logger } from '../logger.js';
import { stateOf } from './state.js';

/** What any handler returns (the typed `Result<Op>` of src/contract/handler.ts is one of these). */
export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string | number>>;
}

/** A handler as the dispatcher sees it: the Tasks handlers and the mock's alike. */
export type AnyHandler<C> = (input: any, ctx: C & { readonly log: Logger }) => Promise<HandlerResult>;

/** Creates the dispatch stage over a handler map keyed by operationId. */
export function dispatch<C extends object>(handlers: Readonly<Record<string, AnyHandler<C>>>, validators: ValidatorSet, ctx: C): RequestHandler {
  return async function dispatchStage(_req, res) {
    const state = stateOf(res);
    const operation = state.operation!;
    const { path, query, body } = state.input!;
    // `log` stays lazy: the request's child logger is made only if the handler logs.
    const context = { ...ctx, get log() { return state.log; } };
    const result = await handlers[operation.operationId]!({ path, query, body, userId: state.userId }, context);
    checkResponse(validators.get(operation.operationId), result.status, result.body);
    res.status(result.status);
    for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
    if (result.body === undefined) return void res.end();
    const declared = operation.responseContentTypes[String(result.status)]?.[0];
    if (declared === undefined || /[/+]json$/.test(declared)) {
      if (declared !== undefined && declared !== 'application/json') res.type(declared);
      return void res.json(result.body);
    }
    // A non-JSON body (the Redoc page, the YAML document) goes out as the media type the spec declares.
    res.type(declared.startsWith('text/') || declared.endsWith('yaml') ? `${declared}; charset=utf-8` : declared);
    res.send(result.body);
  };
}
