/**
 * Stage 8: calls the operation's handler with the validated input and the context, checks the
 * result against the contract outside production, and writes it as the media type the spec
 * declares for that status, JSON through the serializer compiled from that response's schema
 * (src/contract/serializers.ts). The only code that writes a successful response.
 */
import type { ValidatorSet } from '../contract/operation-validators.js';
import type { SerializerSet } from '../contract/serializers.js';
import { checkResponse } from '../contract/response-check.js';
import type { Logger } from '../logger.js';
import type { RequestStage } from './stage.js';
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

const isJson = (declared: string | undefined) => declared === undefined || /[/+]json$/.test(declared);

/** The response's Content-Type: the declared media type, with a charset for text. */
function contentType(declared: string | undefined): string {
  if (declared === undefined) return 'application/json; charset=utf-8';
  return isJson(declared) || declared.startsWith('text/') || declared.endsWith('yaml') ? `${declared}; charset=utf-8` : declared;
}

/** Creates the dispatch stage over a handler map keyed by operationId. */
export function dispatch<C extends object>(handlers: Readonly<Record<string, AnyHandler<C>>>, validators: ValidatorSet, serializers: SerializerSet, ctx: C): RequestStage {
  const HandlerContext = contextClass(ctx);
  return async function dispatchStage(_req, res) {
    const state = stateOf(res);
    const operation = state.operation!;
    const { path, query, header, body } = state.input!;
    const result = await handlers[operation.operationId]!({ path, query, header, body, userId: state.userId }, new HandlerContext(state));
    checkResponse(validators.get(operation.operationId), result.status, result.body);
    const declared = operation.responseContentTypes[String(result.status)]?.[0];
    // Serialised before anything is set, so a body that cannot be serialised leaves a clean 500.
    // Node sets Content-Length from the string res.end is given.
    const payload = result.body === undefined || !isJson(declared) ? result.body : serializers.get(operation.operationId, result.status)(result.body);
    res.statusCode = result.status;
    for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
    if (payload === undefined) return void res.end();
    res.setHeader('Content-Type', contentType(declared));
    // A non-JSON body (the Redoc page, the YAML document) goes out as the handler gave it.
    res.end(typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload));
  };
}
