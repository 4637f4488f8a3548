/**
 * The mock server: any OpenAPI 3.x document (Swagger 2.0 after src/contract/openapi-version.ts)
 * served through the same pipeline as the Tasks API (CORS, routing, security, validation, error
 * formatter), every operation answered by src/mock/responses.ts, so a frontend can start before
 * its backend exists. Requests are validated; each answer is checked against its schema where it
 * is made (an invalid example is replaced by a generated body), so the dispatcher's response
 * check stays off. Not strict by default: a schema that cannot compile is skipped with a warning.
 * The served document is src/mock/mock-document.ts's (Prefer, GET /openapi.json); handlers are src/mock/handlers.ts's.
 */
import type { RequestListener } from 'node:http';
import { mount, pipeline } from '../app.js';
import type { TokenVerifier } from '../auth/verifier.js';
import type { Config } from '../config.js';
import { contractFrom, type Contract, type OpenApiDocument } from '../contract/spec.js';
import type { Logger } from '../logger.js';
import { mockHandlers } from './handlers.js';
import { mockDocument } from './mock-document.js';

export { withOperationIds } from './mock-document.js';
import { assertOpenApi3 } from '../contract/openapi-version.js';

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
}

/** Builds the mock app for a parsed document. */
export function createMockApp({ config, document, log, verifier, strict = false, schemeVerifiers }: MockDeps): { app: RequestListener; contract: Contract } {
  assertOpenApi3(document);
  const contract = contractFrom(mockDocument(document));
  // The mock answers every operation itself: a gateway document's upstreams are not called.
  const mocking = { ...config, upstream: { ...config.upstream, url: undefined } };
  const stages = pipeline({ config: mocking, contract, log, verifier, handlers: mockHandlers(contract, { log, effective: { rateLimits: config.limits.enabled } }), context: {}, validateResponses: false, strict, schemeVerifiers, ignoreUpstreams: true });
  return { app: mount(stages), contract };
}
