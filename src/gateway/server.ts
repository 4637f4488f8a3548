/**
 * Gateway mode for any OpenAPI 3.0/3.1 document: the same pipeline as the Tasks API in front of
 * an upstream, every operation without a handler forwarded. When the document declares no
 * `/health`, the gateway adds one (operationId specgateHealth) that reports each upstream.
 */
import type { RequestListener } from 'node:http';
import { mount, pipeline } from '../app.js';
import type { TokenVerifier } from '../auth/verifier.js';
import type { Config } from '../config/index.js';
import { contractFrom, type Contract, type OpenApiDocument } from '../contract/spec.js';
import type { RateLimitStore } from '../limits/store.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { withOperationIds } from '../mock/server.js';
import type { AnyHandler } from '../pipeline/dispatch.js';
import type { Forwarder } from './forward.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { upstreamRouting } from './upstreams.js';
import { websocketUpgrade } from './websocket.js';

/** The operationId of the readiness operation the gateway adds to a document without `/health`. */
export const GATEWAY_HEALTH_ID = 'specgateHealth';

const HEALTH_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'upstreams'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    upstreams: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['origin', 'state'],
        properties: { origin: { type: 'string' }, state: { type: 'string', enum: ['up', 'down', 'open'] } },
      },
    },
  },
};

/** The document with the gateway's readiness operation at GET /health, unless it declares that path. */
export function withGatewayHealth(document: OpenApiDocument): OpenApiDocument {
  if (document.paths?.['/health'] !== undefined) return document;
  const content = { 'application/json': { schema: HEALTH_BODY } };
  const health = {
    get: {
      operationId: GATEWAY_HEALTH_ID,
      summary: 'Gateway readiness: each upstream is up, down or has its circuit open.',
      security: [],
      responses: { '200': { description: 'Every upstream answers.', content }, '503': { description: 'An upstream circuit is open.', content } },
    },
  };
  return { ...document, paths: { ...document.paths, '/health': health } };
}

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
}

/** What a gateway serves: the app, its forwarder (to close its pools), and the WebSocket upgrade listener, if any path accepts them. */
export interface GatewayApp {
  readonly app: RequestListener;
  readonly contract: Contract;
  readonly forwarder: Forwarder | undefined;
  /** For the HTTP server's 'upgrade' event (src/gateway/websocket.ts). */
  readonly upgrade: ReturnType<typeof websocketUpgrade>;
}

/** Builds the gateway app. */
export function createGatewayApp({ config, document, log, verifier, handlers = {}, metrics, idempotencyStore, rateLimitStore }: GatewayDeps): GatewayApp {
  const contract = contractFrom(withGatewayHealth(withOperationIds(document)));
  let forwarder: Forwarder | undefined;
  const health: AnyHandler<object> = async () => {
    const upstreams = forwarder?.health() ?? [];
    const open = upstreams.some((upstream) => upstream.state === 'open');
    return { status: open ? 503 : 200, body: { status: open ? 'degraded' : 'ok', upstreams } };
  };
  const all = contract.operations.some((op) => op.operationId === GATEWAY_HEALTH_ID) && !(GATEWAY_HEALTH_ID in handlers) ? { ...handlers, [GATEWAY_HEALTH_ID]: health } : handlers;
  const stages = pipeline({ config, contract, log, verifier, handlers: all, context: {}, metrics, idempotencyStore, rateLimitStore, onForwarder: (made) => (forwarder = made) });
  const upgrade = websocketUpgrade({ config, contract, verifier, byOperation: upstreamRouting(contract, all, config.upstream.url).byOperation, log });
  return { app: mount(stages), contract, forwarder, upgrade };
}
