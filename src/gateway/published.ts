/**
 * The gateway's published contract: GET /openapi.json, /openapi.yaml and /docs (a Redoc page)
 * serve the effective document (src/contract/effective.ts) — the backend's document plus every
 * answer the gateway itself may send: the uniform Error on its own refusals and on the backend's
 * errors it translates (UPSTREAM_ERRORS=normalize), 502/503/504 for upstream failures (on the
 * forwarded operations only: what the gateway answers itself, its probes and the mock never meet an
 * upstream), and the headers it adds. Each path is added only where the backend's document does not declare it
 * (then the backend's own is forwarded). The page is Redoc's standalone bundle, shipped by
 * @redocly/cli, inlined with the document, so it loads nothing from elsewhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { Config } from '../config/index.js';
import { effectiveDocument, type EffectiveOptions } from '../contract/effective.js';
import type { Contract, OpenApiDocument } from '../contract/spec.js';
import type { AnyHandler } from '../pipeline/dispatch.js';
import { badGateway, circuitOpen, gatewayTimeout } from '../errors.js';
import type { RateLimitStore } from '../limits/store.js';
import { CONTRACT_VIOLATION_HEADER_NAME, responseValidationModes } from './response-validation.js';

/** The published paths, each with the operationId the gateway gives its own operation there. */
export const PUBLISHED_OPERATIONS = {
  '/openapi.json': 'specgateOpenApiJson',
  '/openapi.yaml': 'specgateOpenApiYaml',
  '/docs': 'specgateDocs',
} as const;

const operation = (operationId: string, summary: string, type: string) => ({
  operationId,
  summary,
  tags: ['specgate'],
  security: [],
  responses: { '200': { description: summary, content: { [type]: { schema: type === 'application/json' ? { type: 'object' } : { type: 'string' } } } } },
});

const OPERATIONS: Record<string, Record<string, unknown>> = {
  '/openapi.json': operation(PUBLISHED_OPERATIONS['/openapi.json'], "The gateway's effective contract, as JSON.", 'application/json'),
  '/openapi.yaml': operation(PUBLISHED_OPERATIONS['/openapi.yaml'], "The gateway's effective contract, as YAML.", 'application/yaml'),
  '/docs': operation(PUBLISHED_OPERATIONS['/docs'], "The gateway's effective contract as a Redoc page.", 'text/html'),
};

/** The document with GET /openapi.json, /openapi.yaml and /docs, each unless it declares that path. */
export function withPublishedContract(document: OpenApiDocument): OpenApiDocument {
  const added = Object.entries(OPERATIONS).filter(([path]) => document.paths?.[path] === undefined);
  if (added.length === 0) return document;
  return { ...document, paths: { ...document.paths, ...Object.fromEntries(added.map(([path, get]) => [path, { get }])) } };
}

/**
 * Statuses the forwarder answers on its own (src/gateway/forward.ts, idempotency.ts): an upstream
 * that failed or broke the contract (502), an open circuit or an idempotency-key store that is down
 * (503), an upstream too slow (504).
 */
const UPSTREAM_STATUSES = [badGateway('').status, circuitOpen('', '', 1).status, gatewayTimeout('').status];

/** What decides which answers the gateway may send besides the document's. */
export interface GatewayAnswers {
  /** The operations sent upstream (operationId → upstream base URL): the only ones that may answer 502/503/504 of the upstream's. */
  readonly forwarded: ReadonlySet<string> | ReadonlyMap<string, string>;
  /** Where rate-limit budgets live: only Redis can be down, and then RATE_LIMIT_FAILURE=closed answers 503. */
  readonly rateLimitStore?: RateLimitStore;
}

/**
 * What the gateway adds to `contract`'s document, as effectiveDocument's options: 502/503/504 on
 * every forwarded operation and, under UPSTREAM_ERRORS=normalize, the Error for its declared errors
 * (not on what it answers itself, its probes or the mock); X-Specgate-Contract-Violation on those
 * whose answers are checked under `report` outside production; 503 on rate-limited operations when
 * limits fail closed over Redis.
 */
export function gatewayEffectiveOptions(config: Config, contract: Contract, { forwarded, rateLimitStore }: GatewayAnswers): EffectiveOptions {
  const normalize = config.upstream.errors === 'normalize';
  const modes = responseValidationModes(contract, config.upstream.gatewayResponseValidation, config.production);
  const violation = [CONTRACT_VIOLATION_HEADER_NAME];
  return {
    rateLimits: config.limits.enabled,
    rateLimitsFailClosed: config.limits.failClosed && rateLimitStore?.kind === 'redis',
    sunsetEnforce: config.contract.sunsetEnforce,
    lastStageOf: (operationId) =>
      operationId === undefined || !forwarded.has(operationId)
        ? { translatesErrors: false }
        : { statuses: UPSTREAM_STATUSES, headers: modes.announce && modes.of(operationId) === 'report' ? violation : [], translatesErrors: normalize },
    idempotentReplays: true,
  };
}

/**
 * Redoc's standalone bundle as @redocly/cli ships it (an ES module exporting `init`); `npm run build`
 * copies it to the same path under dist/ (scripts/build-inputs.mjs), since @redocly/cli is a devDependency.
 */
const REDOC_BUNDLE = new URL('../../node_modules/@redocly/cli/lib/chunks/redoc.standalone.js', import.meta.url).pathname;

const redocBundle = (): string => readFileSync(REDOC_BUNDLE, 'utf8');

/** A page rendering `document` with Redoc, the bundle and the document inline. */
export function redocPage(document: OpenApiDocument): string {
  const title = String(document.info?.title ?? 'API').replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const json = JSON.stringify(document).replace(/</g, '\\u003c');
  const bundle = redocBundle().replace(/<\/(script)/gi, '<\\/$1');
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body>
<div id="redoc"></div>
<script type="module">
${bundle}
init(${json}, {}, document.getElementById('redoc'));
</script>
</body>
</html>
`;
}

/**
 * Handlers for the published operations `contract` has (those the backend did not declare), each made
 * on its first request; `answers` is asked then (the routing is decided after these handlers exist).
 */
export function publishedHandlers(contract: Contract, config: Config, answers: () => GatewayAnswers): Record<string, AnyHandler<object>> {
  if (!existsSync(REDOC_BUNDLE)) throw new Error(`Redoc's bundle ${REDOC_BUNDLE} is missing: run \`npm ci\` (or \`npm run build\`, which copies it).`);
  let effective: OpenApiDocument | undefined;
  let yaml: string | undefined;
  let page: string | undefined;
  const document = () => (effective ??= effectiveDocument(contract.document, gatewayEffectiveOptions(config, contract, answers())));
  const all: Record<string, AnyHandler<object>> = {
    [PUBLISHED_OPERATIONS['/openapi.json']]: async () => ({ status: 200, body: document() }),
    [PUBLISHED_OPERATIONS['/openapi.yaml']]: async () => ({ status: 200, body: (yaml ??= stringify(document(), { aliasDuplicateObjects: false })) }),
    [PUBLISHED_OPERATIONS['/docs']]: async () => ({ status: 200, body: (page ??= redocPage(document())) }),
  };
  const present = new Set(contract.operations.map((op) => op.operationId));
  return Object.fromEntries(Object.entries(all).filter(([id]) => present.has(id)));
}
