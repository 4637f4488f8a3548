/**
 * The handlers' dispatch (their last stage, src/pipeline/handler-stage.ts): calls the operation's handler with the validated input and the context, checks the
 * result against the contract outside production, and writes it as the media type the spec
 * declares for that status, JSON through the serializer compiled from that response's schema
 * (src/contract/serializers.ts). The only code that writes a successful response.
 */
import { validateHeaderName, validateHeaderValue, type ServerResponse } from 'node:http';
import type { ValidatorSet } from '../contract/operation-validators.js';
import type { SerializerSet } from '../contract/serializers.js';
import type { OperationInfo } from '../contract/spec.js';
import { checkResponse } from '../contract/response-check.js';
import type { Logger } from '../logger.js';
import type { RequestStage } from './stage.js';
import { applyHeaders, stateOf, type RequestState } from './state.js';

/** What any handler returns (the typed `Result<Op>` of src/contract/handler.ts is one of these). */
export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string | number>>;
}

/** A handler as the dispatcher sees it: the Tasks handlers and the mock's alike. */
export type AnyHandler<C> = (input: any, ctx: C & { readonly log: Logger }) => Promise<HandlerResult>;

/** A shared context value made for each request from its state (perRequest). */
class PerRequest<T> {
  constructor(readonly make: (state: RequestState) => T) {}
}

/**
 * A context value made for each request, when the handler reads it, from the request's state —
 * the Tasks API's database whose statements are spans of the request's trace. Typed as the value
 * it stands for: the handler reads a T.
 */
export function perRequest<T>(make: (state: RequestState) => T): T {
  return new PerRequest(make) as unknown as T;
}

/**
 * The handler context: the pipeline's shared context on the prototype, made once (a perRequest
 * value as a getter), and a `log` that makes the request's child logger only if the handler logs.
 */
function contextClass<C extends object>(shared: C): new (state: RequestState) => C & { readonly log: Logger } {
  class HandlerContext {
    constructor(private readonly state: RequestState) {}
    get log(): Logger {
      return this.state.log;
    }
  }
  for (const [name, value] of Object.entries(shared)) {
    if (value instanceof PerRequest) {
      const make = value.make as (state: RequestState) => unknown;
      Object.defineProperty(HandlerContext.prototype, name, { get: function (this: { state: RequestState }) { return make(this.state); }, enumerable: true });
    } else Object.defineProperty(HandlerContext.prototype, name, { value, enumerable: true });
  }
  return HandlerContext as unknown as new (state: RequestState) => C & { readonly log: Logger };
}

/** Whether a handler's header has the name of one the stages set (RequestState.headers). */
function isStageHeader(stageHeaders: readonly string[], name: string): boolean {
  for (let i = 0; i < stageHeaders.length; i += 2) {
    const stage = stageHeaders[i]!;
    if (stage.length === name.length && stage.toLowerCase() === name.toLowerCase()) return true;
  }
  return false;
}

/** How one declared status of one operation is written. */
interface Writer {
  readonly json: boolean;
  readonly contentType: string;
  /** The serializer compiled from the response's schema; undefined for a non-JSON media type. */
  readonly serialize: ((body: unknown) => string) | undefined;
}

const NO_HEADERS: readonly [string, string | number][] = [];

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
  // How each declared status of each operation is written, worked out on its first answer.
  const writers = new Map<OperationInfo, Map<number, Writer>>();
  const writerFor = (operation: OperationInfo, status: number): Writer => {
    let byStatus = writers.get(operation);
    if (byStatus === undefined) writers.set(operation, (byStatus = new Map()));
    let writer = byStatus.get(status);
    if (writer === undefined) {
      const declared = operation.responseContentTypes[String(status)]?.[0];
      const json = isJson(declared);
      writer = { json, contentType: contentType(declared), serialize: json ? serializers.get(operation.operationId, status) : undefined };
      byStatus.set(status, writer);
    }
    return writer;
  };
  function respond(res: ServerResponse, state: RequestState, operation: OperationInfo, result: HandlerResult): void {
    checkResponse(validators.get(operation.operationId), result.status, result.body);
    const writer = writerFor(operation, result.status);
    // Serialised before anything is set, so a body that cannot be serialised leaves a clean 500.
    const payload = result.body === undefined || writer.serialize === undefined ? result.body : writer.serialize(result.body);
    // A non-JSON body (the Redoc page, the YAML document) goes out as the handler gave it.
    const text: string | Buffer | undefined = payload === undefined || typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    const own = result.headers === undefined ? NO_HEADERS : Object.entries(result.headers);
    if (text === undefined || own.some(([name]) => isStageHeader(state.headers, name))) {
      // Header by header: Node leaves out the Content-Length of a 204 or 304 itself, and a handler's
      // header replaces a stage's of the same name.
      applyHeaders(res);
      res.statusCode = result.status;
      for (const [name, value] of own) res.setHeader(name, String(value));
      if (text === undefined) return void res.end();
      res.setHeader('Content-Type', writer.contentType);
      return void res.end(text);
    }
    // One writeHead with every header, as Fastify writes: none of setHeader's per-header
    // bookkeeping, and the Content-Length given, since Node computes it only for an implicit head.
    // Checked before writeHead, which would have taken the status line when it refused a header,
    // and before any is added to the stage's list, which an error answer would then carry.
    for (const [name, value] of own) {
      validateHeaderName(name);
      validateHeaderValue(name, String(value));
    }
    const head = state.headers;
    for (const [name, value] of own) head.push(name, String(value));
    head.push('Content-Type', writer.contentType, 'Content-Length', String(typeof text === 'string' ? Buffer.byteLength(text) : text.length));
    res.writeHead(result.status, head);
    res.end(text);
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
          respond(res, state, operation, result);
        } catch (error) {
          next(error);
        }
      },
      (reason: unknown) => next(reason ?? new Error('The handler rejected without an error')),
    );
  };
}
