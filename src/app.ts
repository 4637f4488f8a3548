/**
 * The whole request pipeline, one line per stage, in the order every request takes.
 * createPipeline serves any contract with any handler map (the Tasks API, the mock server);
 * createApp is the Tasks API on it. Everything is built here, before the first request; a bad
 * spec or a missing handler fails now.
 */
import express, { type Express } from 'express';
import { securityHandlersFor } from './auth/schemes.js';
import { createVerifier } from './auth/verifier.js';
import type { Config } from './config.js';
import type { Handlers, PublishedDocuments } from './contract/handler.js';
import { assertHandlersMatch } from './contract/handlers-match.js';
import type { Contract } from './contract/spec.js';
import type { Database } from './db/database.js';
import { publishedDocuments } from './docs/published.js';
import { handlers as defaultHandlers } from './handlers/index.js';
import type { Logger } from './logger.js';
import { authenticate } from './pipeline/authenticate.js';
import { jsonBody } from './pipeline/body.js';
import { corsPolicy } from './pipeline/cors.js';
import { dispatch, type AnyHandler } from './pipeline/dispatch.js';
import { formatError } from './pipeline/format-error.js';
import { requestId } from './pipeline/request-id.js';
import { route } from './pipeline/route.js';
import { validate } from './pipeline/validate.js';

/** What any pipeline is built from: a contract, one handler per operationId, and their context. */
export interface PipelineDeps<C extends object> {
  readonly config: Config;
  readonly contract: Contract;
  readonly log: Logger;
  readonly handlers: Readonly<Record<string, AnyHandler<C>>>;
  readonly context: C;
  /** Validate responses against the contract; by default everywhere but production. */
  readonly validateResponses?: boolean;
}

/** Builds the Express app serving `contract` with `handlers`. */
export function createPipeline<C extends object>(deps: PipelineDeps<C>): Express {
  const { config, contract, log, handlers, context, validateResponses = !config.production } = deps;
  assertHandlersMatch(contract, handlers);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  app.use(requestId(log));
  app.use(corsPolicy(config.cors, contract));
  app.use(jsonBody());
  app.use(route(contract));
  app.use(authenticate(contract, securityHandlersFor(contract.document, createVerifier(config.jwt))));
  app.use(validate(contract, { responses: validateResponses }));
  app.use(dispatch(handlers, context));
  app.use(formatError(log));

  return app;
}

/** What the Tasks API is built from. */
export interface AppDeps {
  readonly config: Config;
  readonly contract: Contract;
  readonly db: Database;
  readonly log: Logger;
  readonly handlers?: Handlers;
  /** What the docs operations serve; read from openapi.yaml and docs/api.html by default. */
  readonly documents?: PublishedDocuments;
}

/** Builds the Tasks API: the pipeline over openapi.yaml with the handlers of src/handlers. */
export function createApp({ config, contract, db, log, handlers = defaultHandlers, documents = publishedDocuments(contract) }: AppDeps): Express {
  const context = { db, apiVersion: contract.version, documents };
  return createPipeline({ config, contract, log, handlers: handlers as unknown as Record<string, AnyHandler<typeof context>>, context });
}
