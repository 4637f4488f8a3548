/**
 * createApp: the whole request pipeline, one line per stage, in the order every request takes.
 * Everything is built here, before the first request; a bad spec or a missing handler fails now.
 * The stages are a list so the order is written once and tests can build variants of it.
 */
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { bearerAuth } from './auth/bearer.js';
import type { TokenVerifier } from './auth/verifier.js';
import type { Config } from './config.js';
import type { Handlers } from './contract/handler.js';
import { assertHandlersMatch } from './contract/handlers-match.js';
import { compileOperationValidators } from './contract/operation-validators.js';
import type { Contract } from './contract/spec.js';
import type { Database } from './db/database.js';
import { handlers as defaultHandlers } from './handlers/index.js';
import type { Logger } from './logger.js';
import { authenticate } from './pipeline/authenticate.js';
import { jsonBody } from './pipeline/body.js';
import { corsPolicy } from './pipeline/cors.js';
import { dispatch } from './pipeline/dispatch.js';
import { formatError } from './pipeline/format-error.js';
import { requestId } from './pipeline/request-id.js';
import { route, routeIndex } from './pipeline/route.js';
import { validate } from './pipeline/validate.js';

/** What the pipeline is built from. */
export interface AppDeps {
  readonly config: Config;
  readonly contract: Contract;
  readonly db: Database;
  readonly log: Logger;
  /** Bearer-token verification, built (and its JWKS fetched) by createTokenVerifier before the app. */
  readonly verifier: TokenVerifier;
  readonly handlers?: Handlers;
}

/** One named stage of the pipeline: the middleware it mounts, in order. */
export interface Stage {
  readonly name: string;
  readonly handlers: readonly (RequestHandler | ErrorRequestHandler)[];
}

/** The pipeline as data, in the order every request takes; any throw ends in format-error. */
export function pipeline({ config, contract, db, log, verifier, handlers = defaultHandlers }: AppDeps): Stage[] {
  assertHandlersMatch(contract, handlers);
  const routes = routeIndex(contract);
  const validators = compileOperationValidators(contract, { responses: !config.production });
  const stage = (name: string, ...handlers: (RequestHandler | ErrorRequestHandler)[]): Stage => ({ name, handlers });
  return [
    stage('request-id', requestId(log)),
    stage('cors', corsPolicy(config.cors, contract, routes)),
    stage('body', jsonBody()),
    stage('route', route(routes)),
    stage('authenticate', authenticate(contract, { bearerAuth: bearerAuth(verifier) })),
    stage('validate', validate(validators)),
    stage('dispatch', dispatch(handlers, validators, { db, apiVersion: contract.version })),
    stage('format-error', formatError(log)),
  ];
}

/** Mounts a pipeline on a new Express app. */
export function mount(stages: readonly Stage[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  for (const stage of stages) app.use(...(stage.handlers as RequestHandler[]));
  return app;
}

/** Builds the Express app serving the contract. */
export function createApp(deps: AppDeps): Express {
  return mount(pipeline(deps));
}
