/** Starts a gateway (src/gateway/server.ts) on an ephemeral port, with its log lines kept for the test. */
import { createTokenVerifier } from '../auth/verifier.js';
import { loadConfig } from '../config/index.js';
import type { OpenApiDocument } from '../contract/spec.js';
import type { IdempotencyStore } from '../gateway/idempotency-store.js';
import { createGatewayApp } from '../gateway/server.js';
import { createHttpServer } from '../serve/http-server.js';
import type { RateLimitStore } from '../limits/store.js';
import { createLogger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { AnyHandler } from '../pipeline/dispatch.js';
import { listenLocally } from './listen-locally.js';
import { originRequest } from './server.js';
import { TEST_JWT_SECRET } from './tokens.js';

/** A running test gateway. */
export interface TestGateway {
  readonly url: string;
  /** The JSON log lines written so far. */
  readonly logs: Record<string, unknown>[];
  /** fetch against the gateway; sends Origin: ALLOWED_ORIGIN unless the caller sets one. */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** Starts a gateway for `document`; env entries override the test configuration; `idempotencyStore` is shared with other gateways (Redis). */
export async function startTestGateway(
  document: OpenApiDocument,
  env: Record<string, string | undefined> = {},
  handlers: Readonly<Record<string, AnyHandler<object>>> = {},
  metrics?: Metrics,
  idempotencyStore?: IdempotencyStore,
  rateLimitStore?: RateLimitStore,
): Promise<TestGateway> {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'warn', ...env });
  const logs: Record<string, unknown>[] = [];
  const log = createLogger(config.logLevel, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const verifier = await createTokenVerifier(config.jwt, log);
  const app = createGatewayApp({ config, document, log, verifier, handlers, metrics, idempotencyStore, rateLimitStore });
  const { upgrade } = app;
  const server = createHttpServer(app.listener, config.cors, config.http);
  if (upgrade) server.on('upgrade', upgrade);
  const { url, stop } = await listenLocally(server);
  return {
    url,
    logs,
    request: originRequest(url),
    async close() {
      await stop();
      await app.close();
    },
  };
}
