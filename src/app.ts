/**
 * The Tasks API: the pipeline (src/pipeline/pipeline.ts) over openapi.yaml with the handlers of
 * src/handlers as its last stage — and, for an operation the contract sends upstream
 * (x-specgate-upstream, UPSTREAM_URL), the gateway's upstream stage beside them. Database errors
 * become the uniform body through the translator the API passes in (src/db/errors.ts).
 */
import type { RequestListener } from 'node:http';
import type { TokenVerifier } from './auth/verifier.js';
import type { Config } from './config/index.js';
import type { Context, Handlers, PublishedDocuments } from './contract/handler.js';
import { assertHandlersMatch } from './contract/handlers-match.js';
import type { Contract } from './contract/spec.js';
import type { Database } from './db/database.js';
import { translateDbError } from './db/errors.js';
import { publishedDocuments } from './docs/published.js';
import type { IdempotencyStore } from './gateway/idempotency-store.js';
import { upstreamStage } from './gateway/upstream-stage.js';
import { upstreamRouting } from './gateway/upstreams.js';
import { handlers as defaultHandlers } from './handlers/index.js';
import { memoryStore } from './limits/memory-store.js';
import type { RateLimitStore } from './limits/store.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics/metrics.js';
import { countingReplays } from './metrics/replays.js';
import { perRequest, type AnyHandler } from './pipeline/dispatch.js';
import { handlerStage } from './pipeline/handler-stage.js';
import { eitherOf } from './pipeline/last-stage.js';
import { mount, pipeline, type Pipeline } from './pipeline/pipeline.js';
import { processTracing } from './tracing/process-tracing.js';
import { tracedDatabase } from './tracing/traced-database.js';

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
  /** Idempotency-Key records of operations sent upstream, when the spec has any (shared through Redis by serve()). */
  readonly idempotencyStore?: IdempotencyStore;
  /** Counts requests (METRICS_PORT), and exports the pool's use and Redis's availability. */
  readonly metrics?: Metrics;
}

/** The Tasks API's pipeline: handlers for every operation, the upstream for those the contract sends there. */
export function tasksPipeline({ config, contract, db: untraced, log, verifier, handlers = defaultHandlers, documents = publishedDocuments(contract), rateLimitStore, idempotencyStore, metrics }: AppDeps): Pipeline {
  // With tracing on, a sampled request's handlers get the database with a span per statement.
  const db = processTracing() ? perRequest(({ trace }) => (trace?.recording ? tracedDatabase(untraced, trace) : untraced)) : untraced;
  const limits = { store: rateLimitStore ?? memoryStore(), failClosed: config.limits.failClosed };
  metrics?.watch({ db: untraced, store: limits.store });
  const routing = upstreamRouting(contract, handlers, config.upstream.url);
  assertHandlersMatch(contract, handlers, routing);
  let built: Pipeline | undefined;
  const context: Omit<Context, 'log'> = { db, apiVersion: contract.version, documents, limits, upstreams: () => built?.last.health?.() ?? [] };
  const own = handlers as unknown as Record<string, AnyHandler<typeof context>>;
  built = pipeline({
    config,
    contract,
    log,
    security: { verifier },
    rateLimitStore: limits.store,
    metrics,
    translateError: translateDbError,
    last: eitherOf(
      handlerStage(own, { context, wrap: metrics && ((map) => countingReplays(map, contract, metrics)) }),
      upstreamStage({ byOperation: routing.byOperation, idempotencyStore }),
    ),
  });
  return built;
}

/** Builds the Tasks API as a node:http request listener. */
export function createApp(deps: AppDeps): RequestListener {
  return mount(tasksPipeline(deps).stages);
}
