/**
 * Stage 8: calls the operation's handler with the validated input and the context, checks the
 * result against the contract outside production, and writes it as the media type the spec
 * declares for that status, JSON through the serializer compiled from that response's schema
 * (src/contract/serializers.ts). The only code that writes a successful response.
 */
import type { ServerResponse } from 'node:http';
import type { ValidatorSet } from '../contract/operation-validators.js';
import type { SerializerSet } from '../contract/serializers.js';
import type { OperationInfo } from '../contract/spec.js';
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
  /** Writes a handler's result; a throw (a contract violation, a body that cannot be serialised) is the caller's to pass on. */
  function respond(res: ServerResponse, operation: OperationInfo, result: HandlerResult): void {
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
  }
  // Not an async function: the result is written in the handler promise's own reaction, with no
  // promise of the stage's own for the runner to wait on (see docs/performance.md).
  return function dispatchStage(_req, res, next) {
    const state = stateOf(res);
    const operation = state.operation!;
    const { path, query, header, body } = state.input!;
    handlers[operation.operationId]!({ path, query, header, body, userId: state.userId }, new HandlerContext(state)).then(
      (result) => {
        try {
          respond(res, operation, result);
        } catch (error) {
          next(error);
        }
      },
      (reason: unknown) => next(reason ?? new Error('The handler rejected without an error')),
    );
  };
}
