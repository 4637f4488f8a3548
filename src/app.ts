/**
 * The whole request pipeline, one line per stage, in the order every request takes.
 * `pipeline` serves any contract with any handler map (the Tasks API, the mock server) and
 * returns the stages as a named list, so the order is written once and tests can build variants;
 * `createApp` is the Tasks API on it, as a node:http listener (`mount`); src/adapters/express.ts
 * serves the same stages inside an Express app. Everything is built here, before the first request: a bad
 * spec, a schema Ajv cannot compile or a missing handler fails now.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { securityHandlersFor, type SchemeWarning } from './auth/schemes.js';
import type { TokenVerifier } from './auth/verifier.js';
import type { Config } from './config/index.js';
import type { Handlers, PublishedDocuments } from './contract/handler.js';
import { assertHandlersMatch } from './contract/handlers-match.js';
import { compileOperationValidators, type SkippedCheck, type ValidatorSet } from './contract/operation-validators.js';
import { compileSerializers } from './contract/serializers.js';
import type { Contract } from './contract/spec.js';
import type { Database } from './db/database.js';
import { publishedDocuments } from './docs/published.js';
import { handlers as defaultHandlers } from './handlers/index.js';
import { memoryStore } from './limits/memory-store.js';
import { ratePolicies } from './limits/policy.js';
import { rateLimit, type RateLimiter } from './limits/stage.js';
import type { RateLimitStore } from './limits/store.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics/metrics.js';
import { countingReplays } from './metrics/replays.js';
import { requestMetrics } from './metrics/request-stage.js';
import { upstreamObserver } from './metrics/upstream-observer.js';
import { authenticate } from './pipeline/authenticate.js';
import { compose } from './pipeline/compose.js';
import { jsonBody } from './pipeline/body.js';
import { corsPolicy } from './pipeline/cors.js';
import { dispatch, type AnyHandler } from './pipeline/dispatch.js';
import { formatError } from './pipeline/format-error.js';
import { headLimit } from './pipeline/head-limit.js';
import { requestId } from './pipeline/request-id.js';
import { route, routeIndex, type RouteIndex } from './pipeline/route.js';
import type { Next, RequestStage, StageFunction } from './pipeline/stage.js';
import { stateOf } from './pipeline/state.js';
import { unanswered } from './pipeline/unanswered.js';
import { validate } from './pipeline/validate.js';
import { createForwarder, type Forwarder } from './gateway/forward.js';
import { requiredResponseHeaders } from './gateway/response-contract.js';
import { idempotentForwarding, idempotentOperations, leaseFor } from './gateway/idempotency.js';
import { memoryIdempotencyStore } from './gateway/idempotency-memory.js';
import type { IdempotencyStore } from './gateway/idempotency-store.js';
import { upstreamRouting } from './gateway/upstreams.js';

/** What any pipeline is built from: a contract, one handler per operationId, and their context. */
export interface PipelineDeps<C extends object> {
  readonly config: Config;
  readonly contract: Contract;
  readonly log: Logger;
  /** Bearer-token verification, built (and its JWKS fetched) by createTokenVerifier before the app. */
  readonly verifier: TokenVerifier;
  /** One handler per operationId, except the operations sent upstream (x-specgate-upstream, UPSTREAM_URL). */
  readonly handlers: Readonly<Record<string, AnyHandler<C>>>;
  readonly context: C;
  /** Validate responses against the contract; by default everywhere but production. */
  readonly validateResponses?: boolean;
  /** Where rate-limit budgets live (Redis when REDIS_URL is set, made by main.ts); this pipeline's memory by default. */
  readonly rateLimitStore?: RateLimitStore;
  /** Where Idempotency-Key records of upstream operations live (src/gateway/idempotency-open.ts); this pipeline's memory by default. */
  readonly idempotencyStore?: IdempotencyStore;
  /**
   * Refuse to start on a schema that cannot compile or a scheme that cannot be checked (the
   * default, as for the Tasks API); false skips each with one start-up warning (the mock).
   */
  readonly strict?: boolean;
  /** Verifiers for openIdConnect schemes, by scheme name, from src/auth/openid.ts. */
  readonly schemeVerifiers?: Readonly<Record<string, TokenVerifier>>;
  /** Receives the upstream forwarder when the spec sends operations upstream (readiness, shutdown). */
  readonly onForwarder?: (forwarder: Forwarder) => void;
  /** Answer every operation with its handler, whatever x-specgate-upstream says (the mock server). */
  readonly ignoreUpstreams?: boolean;
  /** Where requests, rate-limit rejections and upstream calls are counted (METRICS_PORT); no metrics stage without it. */
  readonly metrics?: Metrics;
}

/** One named stage of the pipeline: its functions, in order (src/pipeline/stage.ts). */
export interface Stage {
  readonly name: string;
  readonly handlers: readonly StageFunction[];
  /** The route stage's index: which paths and methods the contract declares (the Express adapter asks it). */
  readonly routes?: RouteIndex;
}

/** The pipeline as data, in the order every request takes; any throw ends in format-error. */
export function pipeline<C extends object>(deps: PipelineDeps<C>): Stage[] {
  const { config, contract, log, verifier, handlers, context, metrics, validateResponses = !config.production, strict = true } = deps;
  const upstream = deps.ignoreUpstreams ? { byOperation: new Map<string, string>(), explicit: new Set<string>() } : upstreamRouting(contract, handlers, config.upstream.url);
  assertHandlersMatch(contract, handlers, upstream);
  const routes = routeIndex(contract);
  const onSkip = (skipped: SkippedCheck) => log.warn(skipped, `schema check skipped: ${skipped.operationId} at ${skipped.location}: ${skipped.reason}`);
  const validators = compileOperationValidators(contract, { responses: validateResponses, strict, onSkip });
  const schemeWarnings: SchemeWarning[] = [];
  const security = securityHandlersFor(contract.document, verifier, { verifiers: deps.schemeVerifiers, onWarning: (w) => schemeWarnings.push(w) });
  if (strict && schemeWarnings.length > 0) throw new Error(`Security schemes that cannot be checked: ${schemeWarnings.map((w) => `${w.scheme} (${w.reason})`).join('; ')}`);
  for (const warning of schemeWarnings) log.warn(warning, `security scheme ${warning.scheme}: ${warning.reason}`);
  const forwarder = upstream.byOperation.size === 0 ? undefined : gatewayForwarder(deps, upstream.byOperation, validateResponses ? validators : undefined);
  const forward = forwarder && upstreamStage(deps, forwarder, upstream.byOperation);
  const serializers = compileSerializers(contract);
  const handle = dispatch(metrics ? countingReplays(handlers, contract, metrics) : handlers, validators, serializers, context);
  const policies = config.limits.enabled ? ratePolicies(contract) : new Map();
  const rejections = new Map([...policies.values()].map((policy) => [policy, metrics?.rateLimitRejections.series({ policy: policy.name })]));
  const limiter: RateLimiter = {
    policies,
    store: deps.rateLimitStore ?? memoryStore(),
    failClosed: config.limits.failClosed,
    trustProxy: config.limits.trustProxy,
    onRejected: metrics && ((policy) => rejections.get(policy)?.inc()),
  };
  const stage = (name: string, ...handlers: StageFunction[]): Stage => ({ name, handlers });
  return [
    stage('request-id', requestId(log)),
    ...(metrics ? [stage('metrics', requestMetrics(metrics, contract))] : []),
    stage('cors', corsPolicy(config.cors, contract, routes)),
    stage('head-limit', headLimit()),
    stage('body', jsonBody()),
    { ...stage('route', route(routes)), routes },
    stage('rate-limit (by ip)', ...rateLimit(limiter, 'ip')),
    stage('authenticate', authenticate(contract, security)),
    stage('rate-limit (by caller)', ...rateLimit(limiter, 'caller')),
    stage('validate', validate(validators)),
    stage('dispatch', forwarder && forward ? handlerOrUpstream(handle, forwarder, forward) : handle),
    stage('format-error', formatError(log)),
  ];
}

/** The upstream forwarder, checking answers with the pipeline's validators when they check responses. */
function gatewayForwarder<C extends object>(deps: PipelineDeps<C>, byOperation: ReadonlyMap<string, string>, checking: ValidatorSet | undefined): Forwarder {
  const { config, contract } = deps;
  const mode = config.upstream.responseValidation;
  const validators = mode === 'off' ? undefined : (checking ?? compileOperationValidators(contract, { responses: true }));
  const requiredHeaders = validators ? requiredResponseHeaders(contract) : undefined;
  const observer = deps.metrics && upstreamObserver(deps.metrics);
  const forwarder = createForwarder({ config: config.upstream, byOperation, validators, requiredHeaders, observer });
  deps.onForwarder?.(forwarder);
  return forwarder;
}

/** The forwarder's stage, honouring Idempotency-Key on the POST and PATCH operations that declare it (src/gateway/idempotency.ts). */
function upstreamStage<C extends object>(deps: PipelineDeps<C>, forwarder: Forwarder, byOperation: ReadonlyMap<string, string>): RequestStage {
  const operations = idempotentOperations(deps.contract, byOperation);
  if (operations.size === 0) return forwarder.stage;
  const { config, metrics } = deps;
  const replays = metrics && new Map([...operations].map((operation) => [operation, metrics.idempotentReplays.series({ operation })]));
  return idempotentForwarding({
    forwarder,
    operations,
    store: deps.idempotencyStore ?? memoryIdempotencyStore(),
    leaseMs: leaseFor(config.upstream.timeoutMs),
    trustProxy: config.limits.trustProxy,
    onReplay: replays && ((operation) => replays.get(operation)?.inc()),
  });
}

/** The last stage: the operation's handler, or the upstream stage for an operation sent upstream. */
function handlerOrUpstream(handle: RequestStage, forwarder: Forwarder, forward: RequestStage): RequestStage {
  return function handlerOrUpstreamStage(req: IncomingMessage, res: ServerResponse, next: Next) {
    return forwarder.handles(stateOf(res).operation!.operationId) ? forward(req, res, next) : handle(req, res, next);
  };
}

/** The pipeline as one node:http request listener: the standalone server's whole request handling. */
export function mount(stages: readonly Stage[]): RequestListener {
  const run = compose(stages.flatMap((stage) => stage.handlers));
  return function specgate(req, res) {
    run(req, res, (error) => unanswered(res, error));
  };
}

/** What the Tasks API is built from. */
export interface AppDeps {
  readonly config: Config;
  readonly contract: Contract;
  readonly db: Database;
  readonly log: Logger;
  readonly verifier: TokenVerifier;
  readonly handlers?: Handlers;
  /** What the docs operations serve; read from openapi.yaml and docs/api.html by default. */
  readonly documents?: PublishedDocuments;
  readonly rateLimitStore?: RateLimitStore;
  /** Idempotency-Key records of operations sent upstream, when the spec has any (src/gateway/idempotency-open.ts). */
  readonly idempotencyStore?: IdempotencyStore;
  /** Counts requests (METRICS_PORT), and exports the pool's use and Redis's availability. */
  readonly metrics?: Metrics;
}

/** The Tasks API's stages: the pipeline over openapi.yaml with the handlers of src/handlers. */
export function tasksPipeline({ config, contract, db, log, verifier, handlers = defaultHandlers, documents = publishedDocuments(contract), rateLimitStore, idempotencyStore, metrics }: AppDeps): Stage[] {
  let forwarder: Forwarder | undefined;
  const limits = { store: rateLimitStore ?? memoryStore(), failClosed: config.limits.failClosed };
  metrics?.watch({ db, store: limits.store });
  const context = { db, apiVersion: contract.version, documents, limits, upstreams: () => forwarder?.health() ?? [] };
  return pipeline({
    config,
    contract,
    log,
    verifier,
    handlers: handlers as unknown as Record<string, AnyHandler<typeof context>>,
    context,
    rateLimitStore: limits.store,
    idempotencyStore,
    metrics,
    onForwarder: (made) => (forwarder = made),
  });
}

/** Builds the Tasks API as a node:http request listener. */
export function createApp(deps: AppDeps): RequestListener {
  return mount(tasksPipeline(deps));
}
