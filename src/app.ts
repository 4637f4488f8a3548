/**
 * The whole request pipeline, one line per stage, in the order every request takes.
 * `pipeline` serves any contract with any handler map (the Tasks API, the mock server) and
 * returns the stages as a named list, so the order is written once and tests can build variants;
 * `createApp` is the Tasks API on it. Everything is built here, before the first request: a bad
 * spec, a schema Ajv cannot compile or a missing handler fails now.
 */
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { securityHandlersFor } from './auth/schemes.js';
import type { TokenVerifier } from './auth/verifier.js';
import type { Config } from './config.js';
import type { Handlers, PublishedDocuments } from './contract/handler.js';
import { assertHandlersMatch } from './contract/handlers-match.js';
import { compileOperationValidators } from './contract/operation-validators.js';
import type { Contract } from './contract/spec.js';
import type { Database } from './db/database.js';
import { publishedDocuments } from './docs/published.js';
import { handlers as defaultHandlers } from './handlers/index.js';
import { memoryStore } from './limits/memory-store.js';
import { ratePolicies } from './limits/policy.js';
import { rateLimit, type RateLimiter } from './limits/stage.js';
import type { RateLimitStore } from './limits/store.js';
import type { Logger } from './logger.js';
import { authenticate } from './pipeline/authenticate.js';
import { chain } from './pipeline/chain.js';
import { jsonBody } from './pipeline/body.js';
import { corsPolicy } from './pipeline/cors.js';
import { dispatch, type AnyHandler } from './pipeline/dispatch.js';
import { formatError } from './pipeline/format-error.js';
import { headLimit } from './pipeline/head-limit.js';
import { requestId } from './pipeline/request-id.js';
import { route, routeIndex } from './pipeline/route.js';
import { validate } from './pipeline/validate.js';

/** What any pipeline is built from: a contract, one handler per operationId, and their context. */
export interface PipelineDeps<C extends object> {
  readonly config: Config;
  readonly contract: Contract;
  readonly log: Logger;
  /** Bearer-token verification, built (and its JWKS fetched) by createTokenVerifier before the app. */
  readonly verifier: TokenVerifier;
  readonly handlers: Readonly<Record<string, AnyHandler<C>>>;
  readonly context: C;
  /** Validate responses against the contract; by default everywhere but production. */
  readonly validateResponses?: boolean;
  /** Where rate-limit budgets live (Redis when REDIS_URL is set, made by main.ts); this pipeline's memory by default. */
  readonly rateLimitStore?: RateLimitStore;
}

/** One named stage of the pipeline: the middleware it mounts, in order. */
export interface Stage {
  readonly name: string;
  readonly handlers: readonly (RequestHandler | ErrorRequestHandler)[];
}

/** The pipeline as data, in the order every request takes; any throw ends in format-error. */
export function pipeline<C extends object>(deps: PipelineDeps<C>): Stage[] {
  const { config, contract, log, verifier, handlers, context, validateResponses = !config.production } = deps;
  assertHandlersMatch(contract, handlers);
  const routes = routeIndex(contract);
  const validators = compileOperationValidators(contract, { responses: validateResponses });
  const policies = ratePolicies(contract);
  const limiter: RateLimiter = {
    policies: config.limits.enabled ? policies : new Map(),
    store: deps.rateLimitStore ?? memoryStore(),
    failClosed: config.limits.failClosed,
    trustProxy: config.limits.trustProxy,
  };
  const stage = (name: string, ...handlers: (RequestHandler | ErrorRequestHandler)[]): Stage => ({ name, handlers });
  return [
    stage('request-id', requestId(log)),
    stage('cors', corsPolicy(config.cors, contract, routes)),
    stage('head-limit', headLimit()),
    stage('body', jsonBody()),
    stage('route', route(routes)),
    stage('rate-limit (by ip)', rateLimit(limiter, 'ip')),
    stage('authenticate', authenticate(contract, securityHandlersFor(contract.document, verifier))),
    stage('rate-limit (by caller)', rateLimit(limiter, 'caller')),
    stage('validate', validate(validators)),
    stage('dispatch', dispatch(handlers, validators, context)),
    stage('format-error', formatError(log)),
  ];
}

const isErrorHandler = (handler: RequestHandler | ErrorRequestHandler) => handler.length === 4;

/**
 * Mounts a pipeline on a new Express app: each run of request stages becomes one Express layer
 * (src/pipeline/chain.ts), each error handler its own.
 */
export function mount(stages: readonly Stage[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  let run: RequestHandler[] = [];
  const flush = () => {
    if (run.length > 0) app.use(chain(run));
    run = [];
  };
  for (const handler of stages.flatMap((stage) => stage.handlers)) {
    if (!isErrorHandler(handler)) {
      run.push(handler as RequestHandler);
      continue;
    }
    flush();
    app.use(handler as ErrorRequestHandler);
  }
  flush();
  return app;
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
}

/** The Tasks API's stages: the pipeline over openapi.yaml with the handlers of src/handlers. */
export function tasksPipeline({ config, contract, db, log, verifier, handlers = defaultHandlers, documents = publishedDocuments(contract), rateLimitStore }: AppDeps): Stage[] {
  const limits = { store: rateLimitStore ?? memoryStore(), failClosed: config.limits.failClosed };
  const context = { db, apiVersion: contract.version, documents, limits };
  return pipeline({ config, contract, log, verifier, handlers: handlers as unknown as Record<string, AnyHandler<typeof context>>, context, rateLimitStore: limits.store });
}

/** Builds the Tasks API. */
export function createApp(deps: AppDeps): Express {
  return mount(tasksPipeline(deps));
}
