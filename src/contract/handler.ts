/**
 * Handler types derived from the generated `operations` (generated/api.ts): the only place that
 * maps the contract to TypeScript, so a missing, extra or mistyped handler fails `tsc`.
 */
import type { components, operations } from '../../generated/api.js';
import type { UpstreamOperationId } from '../../generated/upstream.js';
import type { Database } from '../db/database.js';
import type { RateLimitStore } from '../limits/store.js';
import type { Logger } from '../logger.js';

/** Every operationId declared in openapi.yaml. */
export type OperationId = keyof operations;

type Defined<T> = [NonNullable<T>] extends [never] ? Record<string, never> : NonNullable<T>;
type Params<O extends OperationId> = operations[O]['parameters'];
type JsonContent<T> = T extends { content: { 'application/json': infer B } } ? B : undefined;
/** A response's body type, whatever its one declared media type (JSON, HTML, YAML …). */
type Content<T> = T extends { content: infer C } ? C[keyof C] : undefined;
type Responses<O extends OperationId> = operations[O]['responses'];
/** Statuses a handler may return: every declared one whose body is not the Error schema (errors are thrown). */
type ReturnStatus<O extends OperationId> = {
  [S in keyof Responses<O>]: JsonContent<Responses<O>[S]> extends components['schemas']['Error'] ? never : S;
}[keyof Responses<O>];
/** Response headers the stages set, never the handler: the request id and the rate-limit fields. */
type StageHeaders = 'X-Request-ID' | 'RateLimit' | 'RateLimit-Policy';
/** Declared response headers a handler sends only sometimes. */
type OccasionalHeaders = 'Idempotent-Replayed';
type NamedHeaders<H> = { [K in keyof H as string extends K ? never : K extends StageHeaders | OccasionalHeaders ? never : K]: H[K] } & {
  [K in keyof H as K extends OccasionalHeaders ? K : never]?: H[K];
};
type ResponseHeaders<R> = R extends { headers: infer H } ? NamedHeaders<H> : Record<string, never>;

/** Header parameters under their lower-cased names, as Node (and the validate stage) keys them. */
type LowerKeys<T> = { [K in keyof T as K extends string ? Lowercase<K> : K]: T[K] };

/** What a handler receives: validated, typed parameters and body, and the verified caller. */
export interface Input<O extends OperationId> {
  readonly path: Defined<Params<O>['path']>;
  readonly query: Defined<Params<O>['query']>;
  /** The declared header parameters that were sent (`if-match`, `idempotency-key` …). */
  readonly header: LowerKeys<Defined<Params<O>['header']>>;
  readonly body: JsonContent<NonNullable<operations[O]['requestBody']>>;
  /** The verified token's `sub`, or undefined on a public operation. */
  readonly userId: string | undefined;
}

/** The contract as served by the docs operations: the YAML source, its JSON form and the Redoc page. */
export interface PublishedDocuments {
  readonly yaml: string;
  readonly json: string;
  readonly html: string;
}

/** What every handler may use besides its input. */
export interface Context {
  readonly db: Database;
  readonly log: Logger;
  readonly apiVersion: string;
  readonly documents: PublishedDocuments;
  /** Gateway mode: each upstream origin and its state (empty when nothing is sent upstream). */
  readonly upstreams: () => readonly { origin: string; state: 'up' | 'down' | 'open' }[];
  /** Where rate-limit budgets live, and whether its outage stops limited operations (RATE_LIMIT_FAILURE). */
  readonly limits: { readonly store: RateLimitStore; readonly failClosed: boolean };
}

/** One declared non-error response of an operation: its status, body and declared headers. */
export type Result<O extends OperationId> = {
  [S in ReturnStatus<O>]: {
    status: S;
    body: Content<Responses<O>[S]>;
  } & ({} extends ResponseHeaders<Responses<O>[S]>
    ? { headers?: ResponseHeaders<Responses<O>[S]> }
    : { headers: ResponseHeaders<Responses<O>[S]> });
}[ReturnStatus<O>];

/** A hand-written handler for one operation; errors are thrown as ApiError, never returned. */
export type Handler<O extends OperationId> = (input: Input<O>, ctx: Context) => Promise<Result<O>>;

/** A handler map with exactly one handler per operationId, except the operations in `Upstream`. */
export type HandlerMap<Upstream extends OperationId> = { readonly [O in Exclude<OperationId, Upstream>]: Handler<O> };

/** The complete handler map: one handler per operationId the spec does not send upstream (x-specgate-upstream). */
export type Handlers = HandlerMap<UpstreamOperationId>;
