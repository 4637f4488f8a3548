/** Serves a document through the real mock app on 127.0.0.1 for a test, with its warnings captured. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenVerifier, type TokenVerifier } from '../auth/verifier.js';
import { loadConfig } from '../config/index.js';
import type { OpenApiDocument } from '../contract/spec.js';
import type { RateLimitStore } from '../limits/store.js';
import { createMockApp } from '../mock/server.js';
import { capturingLogger } from './capture-log.js';
import { ALLOWED_ORIGIN } from './server.js';
import { TEST_JWT_SECRET } from './tokens.js';

/** A running mock: `request` sends from the allowed origin; `warnings` are the start-up and later warn lines. */
export interface TestMock {
  /** Where the mock listens (http://127.0.0.1:port). */
  readonly url: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  readonly warnings: readonly string[];
  close(): Promise<void>;
}

/** Starts the mock of `document` (configured with the test JWT secret; `env` adds variables, e.g. CORS_ORIGINS; `rateLimitStore` a Redis store). */
export async function startMock(
  document: OpenApiDocument,
  options: { strict?: boolean; schemeVerifiers?: Record<string, TokenVerifier>; env?: Record<string, string>; rateLimitStore?: RateLimitStore } = {},
): Promise<TestMock> {
  const { env = {}, ...mockOptions } = options;
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'warn', ...env });
  const { log, lines } = capturingLogger('warn');
  const { listener: app } = createMockApp({ config, document, log, verifier: await createTokenVerifier(config.jwt, log), ...mockOptions });
  const server = createServer(app).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    request: (path, init = {}) => fetch(url + path, { ...init, headers: { origin: ALLOWED_ORIGIN, ...(init.headers as Record<string, string>) } }),
    get warnings() {
      return lines.filter((l) => l.level === 40).map((l) => String(l.msg));
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
