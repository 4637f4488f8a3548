/**
 * createApp: the whole request pipeline, one line per stage, in the order every request takes.
 * Everything is built here, before the first request; a bad spec or a missing handler fails now.
 */
import express, { type Express } from 'express';
import { bearerAuth } from './auth/bearer.js';
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
import { dispatch } from './pipeline/dispatch.js';
import { formatError } from './pipeline/format-error.js';
import { requestId } from './pipeline/request-id.js';
import { route } from './pipeline/route.js';
import { validate } from './pipeline/validate.js';

/** What the pipeline is built from. */
export interface AppDeps {
  readonly config: Config;
  readonly contract: Contract;
  readonly db: Database;
  readonly log: Logger;
  readonly handlers?: Handlers;
  /** What the docs operations serve; read from openapi.yaml and docs/api.html by default. */
  readonly documents?: PublishedDocuments;
}

/** Builds the Express app serving the contract. */
export function createApp({ config, contract, db, log, handlers = defaultHandlers, documents = publishedDocuments(contract) }: AppDeps): Express {
  assertHandlersMatch(contract, handlers);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  app.use(requestId(log));
  app.use(corsPolicy(config.cors, contract));
  app.use(jsonBody());
  app.use(route(contract));
  app.use(authenticate(contract, { bearerAuth: bearerAuth(createVerifier(config.jwt)) }));
  app.use(validate(contract, { responses: !config.production }));
  app.use(dispatch(handlers, { db, apiVersion: contract.version, documents }));
  app.use(formatError(log));

  return app;
}
