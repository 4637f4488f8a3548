/**
 * Stage 7: calls the operation's handler with the validated input and the context, checks the
 * result against the contract outside production, and writes it as the media type the spec
 * declares for that status. The only code that writes a successful response.
 */
import type { RequestHandler, Response } from 'express';
import type { ValidatorSet } from '../contract/operation-validators.js';
import { checkResponse } from '../contract/response-check.js';
import type { Logger } from '../logger.js';
import { stateOf, type RequestState } from './state.js';

/** What any handler returns (the typed `Result<Op>` of src/contract/handler.ts is one of these). */
export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string | number>>;
}

/** A handler as the dispatcher sees it: the Tasks handlers and the mock's alike. */
export type AnyHandler<C> = (input: any, ctx: C & { readonly log: Logger }) => Promise<HandlerResult>;

/**
 * The handler context: the pipeline's shared context on the prototype, made once, and a `log`
 * that makes the request's child logger only if the handler logs.
 */
function contextClass<C extends object>(shared: C): new (state: RequestState) => C & { readonly log: Logger } {
  class HandlerContext {
    constructor(private readonly state: RequestState) {}
    get log(): Logger {
      return this.state.log;
    }
  }
  for (const [name, value] of Object.entries(shared)) Object.defineProperty(HandlerContext.prototype, name, { value, enumerable: true });
  return HandlerContext as unknown as new (state: RequestState) => C & { readonly log: Logger };
}

function writeBody(res: Response, declared: string | undefined, body: unknown) {
  if (declared === undefined || /[/+]json$/.test(declared)) {
    // Written directly rather than through res.json: Node sets Content-Length from the string.
    res.setHeader('Content-Type', `${declared ?? 'application/json'}; charset=utf-8`);
    return void res.end(JSON.stringify(body));
  }
  // A non-JSON body (the Redoc page, the YAML document) goes out as the media type the spec declares.
  res.type(declared.startsWith('text/') || declared.endsWith('yaml') ? `${declared}; charset=utf-8` : declared);
  res.send(body);
}

/** Creates the dispatch stage over a handler map keyed by operationId. */
export function dispatch<C extends object>(handlers: Readonly<Record<string, AnyHandler<C>>>, validators: ValidatorSet, ctx: C): RequestHandler {
  const HandlerContext = contextClass(ctx);
  return async function dispatchStage(_req, res) {
    const state = stateOf(res);
    const operation = state.operation!;
    const { path, query, body } = state.input!;
    const result = await handlers[operation.operationId]!({ path, query, body, userId: state.userId }, new HandlerContext(state));
    checkResponse(validators.get(operation.operationId), result.status, result.body);
    res.statusCode = result.status;
    for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
    if (result.body === undefined) return void res.end();
    writeBody(res, operation.responseContentTypes[String(result.status)]?.[0], result.body);
  };
}
