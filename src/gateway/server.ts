/**
 * Gateway mode for any OpenAPI 3.0/3.1 document: the same pipeline as the Tasks API in front of
 * an upstream, every operation without a handler forwarded. The gateway adds /livez, /readyz and
 * /health to a document that does not declare them (src/gateway/readiness.ts).
 */
import type { TokenVerifier } from '../auth/verifier.js';
import type { Config } from '../config/index.js';
import { assertHandlersMatch } from '../contract/handlers-match.js';
import { withOperationIds } from '../contract/operation-ids.js';
import { contractFrom, type Contract, type OpenApiDocument } from '../contract/spec.js';
import type { RateLimitStore } from '../limits/store.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { AnyHandler } from '../pipeline/dispatch.js';
import { handlerStage } from '../pipeline/handler-stage.js';
import { eitherOf } from '../pipeline/last-stage.js';
import { pipeline, type Pipeline } from '../pipeline/pipeline.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { upstreamStage } from './upstream-stage.js';
import { upstreamRouting } from './upstreams.js';
import { servedApp, type ServedApp } from '../serve/served-app.js';
import { mockedOperations, mockedStage, withMockFallback } from './mocked.js';
import { websocketTunnel } from './websocket.js';
import { publishedHandlers, withPublishedContract } from './published.js';
import { GATEWAY_HEALTH_ID, GATEWAY_LIVENESS_ID, GATEWAY_READINESS_ID, readinessStage, withGatewayHealth } from './readiness.js';
import { CONTRACT_VIOLATION_HEADER_NAME } from './response-validation.js';

export { GATEWAY_HEALTH_ID, withGatewayHealth } from './readiness.js';

/** What a gateway app is built from. */
export interface GatewayDeps {
  readonly config: Config;
  readonly document: OpenApiDocument;
  readonly log: Logger;
  readonly verifier: TokenVerifier;
  /** Operations answered in-process instead of upstream (a spec mixing both). */
  readonly handlers?: Readonly<Record<string, AnyHandler<object>>>;
  /** Counts requests and upstream calls (METRICS_PORT). */
  readonly metrics?: Metrics;
  /** Idempotency-Key records shared by every instance (Redis, src/gateway/idempotency-open.ts); this app's memory by default. */
  readonly idempotencyStore?: IdempotencyStore;
  /** Rate-limit budgets shared by every instance (Redis when REDIS_URL is set); this app's memory by default. */
  readonly rateLimitStore?: RateLimitStore;
  /** Leave compiling the validators to the app's prepare() (serve() awaits it before serving the app). */
  readonly deferCompile?: boolean;
}

/** The contract a gateway serves for `document`: operation ids filled in, GET /livez, /readyz, /health and the published contract's paths unless declared. */
export const gatewayContract = (document: OpenApiDocument): Contract => contractFrom(withPublishedContract(withGatewayHealth(withOperationIds(document))));

/** The configuration as gateway mode reads it: UPSTREAM_RESPONSE_VALIDATION's gateway default (report). */
const inGatewayMode = (config: Config): Config => ({ ...config, upstream: { ...config.upstream, responseValidation: config.upstream.gatewayResponseValidation } });

/** Builds the gateway's pipeline: in-process handlers (and the readiness operation) first, then operations marked x-specgate-mock from the mock, every other operation upstream, WebSocket paths tunnelled. */
export function gatewayPipeline({ config: given, document, log, verifier, handlers: own = {}, metrics, idempotencyStore, rateLimitStore, deferCompile }: GatewayDeps): Pipeline {
  const config = inGatewayMode(given);
  const contract = gatewayContract(document);
  let built: Pipeline | undefined;
  let forwarded: ReadonlyMap<string, string> = new Map();
  const handlers = { ...publishedHandlers(contract, config, () => ({ forwarded, rateLimitStore })), ...own };
  const probes = new Set([GATEWAY_HEALTH_ID, GATEWAY_READINESS_ID, GATEWAY_LIVENESS_ID].filter((id) => contract.operations.some((op) => op.operationId === id) && !(id in handlers)));
  const answeredHere = { ...handlers, ...Object.fromEntries([...probes].map((id) => [id, true])) };
  const mocked = mockedOperations(contract);
  const routed = upstreamRouting(contract, answeredHere, config.upstream.url);
  // An operation the mock answers is never sent upstream, whatever the extensions say.
  const routing = { byOperation: new Map([...routed.byOperation].filter(([id]) => !mocked.has(id))), explicit: new Set([...routed.explicit].filter((id) => !mocked.has(id))) };
  assertHandlersMatch(contract, { ...answeredHere, ...Object.fromEntries([...mocked].map((id) => [id, true])) }, routing);
  const { byOperation } = routing;
  forwarded = byOperation;
  const readiness = readinessStage({ ids: probes, upstreams: () => built?.last.health?.() ?? [], rateLimitStore, idempotencyStore, byOperation });
  built = pipeline({
    config,
    contract,
    log,
    security: { verifier },
    metrics,
    rateLimitStore,
    last: eitherOf(handlerStage(handlers, { context: {} }), readiness, mockedStage(mocked, log), config.upstream.mockMissing === true ? withMockFallback(upstreamStage({ byOperation, idempotencyStore }), log) : upstreamStage({ byOperation, idempotencyStore })),
    upgrade: websocketTunnel(byOperation),
    exposeHeaders: [CONTRACT_VIOLATION_HEADER_NAME],
    deferCompile,
  });
  return built;
}

/** The gateway as an app serve() runs (and tests start on a port). */
export const createGatewayApp = (deps: GatewayDeps): ServedApp => servedApp(gatewayPipeline(deps));
