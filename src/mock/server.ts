/**
 * The mock server: any OpenAPI 3.x document (Swagger 2.0 after src/contract/openapi-version.ts)
 * served through the same pipeline as the Tasks API (CORS, routing, security, validation, error
 * formatter), every operation answered by src/mock/responses.ts, so a frontend can start before
 * its backend exists. Requests are validated; each answer is checked against its schema where it
 * is made (an invalid example is replaced by a generated body), so the dispatcher's response
 * check stays off. Not strict by default: a schema that cannot compile is skipped with a warning.
 * The served document is src/mock/mock-document.ts's (Prefer, GET /openapi.json); the handlers are src/mock/handlers.ts's.
 */
import type { TokenVerifier } from '../auth/verifier.js';
import type { Config } from '../config/index.js';
import type { EffectiveOptions } from '../contract/effective.js';
import { contractFrom, type Contract, type OpenApiDocument } from '../contract/spec.js';
import type { RateLimitStore } from '../limits/store.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { handlerStage } from '../pipeline/handler-stage.js';
import type { LastStageFactory } from '../pipeline/last-stage.js';
import { pipeline } from '../pipeline/pipeline.js';
import { servedApp, type ServedApp } from '../serve/served-app.js';
import { mockHandlers } from './handlers.js';
import { mockDocument } from './mock-document.js';
import { assertOpenApi3 } from '../contract/openapi-version.js';

/** The mock as a last stage: every operation of the contract answered from its examples and schemas. */
export const mockStage = (log?: Logger, effective?: EffectiveOptions): LastStageFactory => (compiled) => ({ ...handlerStage(mockHandlers(compiled.contract, { log, effective }), { context: {} })(compiled), name: 'mock' });

/** What the mock's published document adds for this configuration: 429 where limits apply, 503 where they fail closed over Redis, 410 past a sunset when enforced. */
export const mockEffectiveOptions = (config: Config, rateLimitStore: RateLimitStore | undefined): EffectiveOptions => ({
  rateLimits: config.limits.enabled,
  rateLimitsFailClosed: config.limits.failClosed && rateLimitStore?.kind === 'redis',
  sunsetEnforce: config.contract.sunsetEnforce,
});

/** What a mock app is built from; the verifier enforces the document's bearer-style security. */
export interface MockDeps {
  readonly config: Config;
  /** An OpenAPI 3.x document (a Swagger 2.0 one goes through openApi3() first). */
  readonly document: OpenApiDocument;
  readonly log: Logger;
  readonly verifier: TokenVerifier;
  /** Refuse to start on a schema that cannot compile or a scheme that cannot be checked (`--strict`). */
  readonly strict?: boolean;
  /** Verifiers for openIdConnect schemes, by scheme name (src/auth/openid.ts). */
  readonly schemeVerifiers?: Readonly<Record<string, TokenVerifier>>;
  /** Rate-limit budgets shared by every instance (Redis when REDIS_URL is set); this app's memory by default. */
  readonly rateLimitStore?: RateLimitStore;
  /** Counts requests (METRICS_PORT). */
  readonly metrics?: Metrics;
  /** Leave compiling the validators to the app's prepare() (serve() awaits it before serving the app). */
  readonly deferCompile?: boolean;
}

/** Builds the mock app for a parsed document; a gateway document's upstreams are never called. */
export function createMockApp({ config, document, log, verifier, strict = false, schemeVerifiers, rateLimitStore, metrics, deferCompile }: MockDeps): ServedApp {
  assertOpenApi3(document);
  const contract = contractFrom(mockDocument(document));
  return servedApp(pipeline({ config, contract, log, security: { verifier, schemeVerifiers }, last: mockStage(log, mockEffectiveOptions(config, rateLimitStore)), validateResponses: false, strict, rateLimitStore, metrics, deferCompile }));
}
