/**
 * The mock server: any OpenAPI 3.0/3.1 document served through the same pipeline as the Tasks
 * API (CORS, routing, security, validation, error formatter), every operation answered by
 * src/mock/responses.ts, so a frontend can start before its backend exists. Requests are
 * validated; responses are not: they are made from the document's own examples and schemas.
 */
import type { RequestListener } from 'node:http';
import { mount, pipeline } from '../app.js';
import type { TokenVerifier } from '../auth/verifier.js';
import type { Config } from '../config.js';
import { contractFrom, HTTP_METHODS, type Contract, type OpenApiDocument } from '../contract/spec.js';
import type { Logger } from '../logger.js';
import type { AnyHandler, HandlerResult } from '../pipeline/dispatch.js';
import { mockResponse } from './responses.js';

/** Gives every operation without an operationId one made of its method and path, on a copy. */
export function withOperationIds(document: OpenApiDocument): OpenApiDocument {
  const copy = { ...document, paths: { ...document.paths } };
  for (const [path, item] of Object.entries<Record<string, any>>(copy.paths ?? {})) {
    const next = { ...item };
    for (const method of HTTP_METHODS) {
      if (next[method] && typeof next[method].operationId !== 'string') next[method] = { ...next[method], operationId: `${method}${path.replace(/[^A-Za-z0-9]+/g, '_')}` };
    }
    copy.paths[path] = next;
  }
  return copy;
}

/** One handler per operationId, each answering its operation's mock (computed on first use). */
export function mockHandlers(contract: Contract): Record<string, AnyHandler<object>> {
  return Object.fromEntries(
    contract.operations.map((op) => {
      let answer: HandlerResult | undefined;
      const handler: AnyHandler<object> = async () => (answer ??= mockResponse(contract.document, contract.document.paths[op.path][op.method]));
      return [op.operationId, handler];
    }),
  );
}

/** What a mock app is built from; the verifier enforces the document's bearer-style security. */
export interface MockDeps {
  readonly config: Config;
  readonly document: OpenApiDocument;
  readonly log: Logger;
  readonly verifier: TokenVerifier;
}

/** Builds the mock app for a parsed document. */
export function createMockApp({ config, document, log, verifier }: MockDeps): { app: RequestListener; contract: Contract } {
  const contract = contractFrom(withOperationIds(document));
  const stages = pipeline({ config, contract, log, verifier, handlers: mockHandlers(contract), context: {}, validateResponses: false });
  return { app: mount(stages), contract };
}
