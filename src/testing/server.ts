/**
 * Starts the real app on an ephemeral port over a real test database, and gives tests a small
 * HTTP client that sends the allowed test Origin by default.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import type { Handlers } from '../contract/handler.js';
import { loadContract } from '../contract/spec.js';
import type { Database } from '../db/database.js';
import { createLogger } from '../logger.js';
import { gateOnMigrations } from '../db/readiness.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { TEST_JWT_SECRET } from './tokens.js';

/** An Origin the test apps allow. */
export const ALLOWED_ORIGIN = 'http://localhost:3000';
/** An Origin the test apps refuse. */
export const FOREIGN_ORIGIN = 'http://evil.example';

/** A running test server. */
export interface TestServer {
  readonly url: string;
  readonly db: Database;
  readonly config: Config;
  /** fetch against the server; sends Origin: ALLOWED_ORIGIN unless the caller sets one. */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** Starts the app over a fresh test database (or the one given); env entries override the test configuration. */
export async function startTestServer(
  options: { env?: Record<string, string>; handlers?: Handlers; database?: TestDatabase } = {},
): Promise<TestServer> {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent', ...options.env });
  const testDb = options.database ?? (await createTestDatabase());
  // As in main.ts: nothing reaches the database before its migrations are applied.
  const gate = gateOnMigrations(testDb.db, { retryMs: 100, maxRetryMs: 500, onFatal: () => {} });
  const app = createApp({ config, contract: loadContract(), db: gate.db, log: createLogger(config.logLevel), handlers: options.handlers });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    db: testDb.db,
    config,
    request(path, { token, headers, ...init } = {}) {
      const merged = new Headers(headers);
      if (!merged.has('origin')) merged.set('origin', ALLOWED_ORIGIN);
      if (token !== undefined) merged.set('authorization', `Bearer ${token}`);
      return fetch(url + path, { ...init, headers: merged });
    },
    async close() {
      gate.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await testDb.drop();
    },
  };
}
