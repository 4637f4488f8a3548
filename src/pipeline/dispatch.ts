/**
 * Stage 7: calls the operation's handler with a typed input and the context, and writes its
 * result as the media type the spec declares for that status. The only code that writes a
 * successful response.
 */
import type { Request, RequestHandler } from 'express';
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

/** Path parameters as express-openapi-validator parsed and checked them (req.openapi.pathParams). */
const pathParamsOf = (req: Request): Record<string, string> =>
  ((req as Request & { openapi?: { pathParams?: Record<string, string> } }).openapi?.pathParams ?? {});

/** Creates the dispatch stage over a handler map keyed by operationId. */
export function dispatch<C extends object>(handlers: Readonly<Record<string, AnyHandler<C>>>, ctx: C): RequestHandler {
  return async function dispatchStage(req, res) {
    const state = stateOf(res);
    const handler = handlers[state.operation!.operationId]!;
    const input = { path: pathParamsOf(req), query: { ...req.query }, body: req.body, userId: state.userId };
    const result = await handler(input, { ...ctx, log: state.log });
    res.status(result.status);
    for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
    if (result.body === undefined) return void res.end();
    const declared = state.operation!.responseContentTypes[String(result.status)]?.[0];
    if (declared === undefined || /[/+]json$/.test(declared)) {
      if (declared !== undefined && declared !== 'application/json') res.type(declared);
      return void res.json(result.body);
    }
    // A non-JSON body (the Redoc page, the YAML document) goes out as the media type the spec declares.
    res.type(declared.startsWith('text/') || declared.endsWith('yaml') ? `${declared}; charset=utf-8` : declared);
    res.send(result.body);
  };
}
