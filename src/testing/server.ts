/**
 * Starts the real app on an ephemeral port over a real test database, and gives tests a small
 * HTTP client that sends the allowed test Origin by default.
 */
import type { RequestListener } from 'node:http';
import express from 'express';
import type { DestinationStream } from 'pino';
import { specgateExpress } from '../adapters/express.js';
import { tasksPipeline } from '../app.js';
import { mount, type Stage } from '../pipeline/pipeline.js';
import { createTokenVerifier, type VerifierOptions } from '../auth/verifier.js';
import { loadConfig, type Config } from '../config/index.js';
import type { Handlers } from '../contract/handler.js';
import { loadContract, type Contract } from '../contract/spec.js';
import type { Database } from '../db/database.js';
import { createHttpServer } from '../serve/http-server.js';
import type { RateLimitStore } from '../limits/store.js';
import type { Metrics } from '../metrics/metrics.js';
import { createLogger } from '../logger.js';
import { gateOnMigrations } from '../db/readiness.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { listenLocally } from './listen-locally.js';
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

/** How a test app differs from the default one. */
export interface TestServerOptions {
  /** Entries override the test configuration; an undefined value removes a default (e.g. JWT_SECRET). */
  readonly env?: Record<string, string | undefined>;
  readonly handlers?: Handlers;
  readonly auth?: VerifierOptions;
  /** A fixture contract instead of openapi.yaml. */
  readonly contract?: Contract;
  /** A database instead of a fresh test database (the caller closes it). */
  readonly db?: Database;
  /** A test database the server takes over (dropped on close). */
  readonly database?: TestDatabase;
  /** Rewrites the pipeline before it is mounted (mutation checks). */
  readonly arrange?: (stages: Stage[]) => Stage[];
  /** false: the server answers what Node's parser refuses without CORS (mutation checks). */
  readonly parserCors?: boolean;
  /** Where log lines go (with LOG_LEVEL in env); silent by default. */
  readonly logTo?: DestinationStream;
  /** Where rate-limit budgets live (a Redis store); this server's memory by default. */
  readonly rateLimitStore?: RateLimitStore;
  /** `express`: the pipeline runs inside an Express app (specgateExpress) beside a route of the app's own. */
  readonly host?: 'node' | 'express';
  /** Counts requests into these metrics (src/metrics), as METRICS_PORT does. */
  readonly metrics?: Metrics;
}

/** The path of the Express host app's own route (host: 'express'), outside the contract. */
export const EXPRESS_OWN_PATH = '/express-own';

/** An Express 5 app with a JSON route of its own, specgate mounted, and Express's own 404 for the rest. */
function expressHost(stages: readonly Stage[]): RequestListener {
  const app = express();
  app.get(EXPRESS_OWN_PATH, (_req, res) => void res.json({ served_by: 'express' }));
  app.use(specgateExpress(stages));
  app.post(EXPRESS_OWN_PATH, express.json(), (req, res) => void res.status(201).json({ echo: req.body }));
  return app as unknown as RequestListener;
}

/** fetch against `url` that sends Origin: ALLOWED_ORIGIN unless the caller sets one, and `token` as a bearer token. */
export function originRequest(url: string): TestServer['request'] {
  return (path, { token, headers, ...init } = {}) => {
    const merged = new Headers(headers);
    if (!merged.has('origin')) merged.set('origin', ALLOWED_ORIGIN);
    if (token !== undefined) merged.set('authorization', `Bearer ${token}`);
    return fetch(url + path, { ...init, headers: merged });
  };
}

/** Starts the app; env entries override the test configuration. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent', ...options.env });
  const log = createLogger(config.logLevel, options.logTo);
  const verifier = await createTokenVerifier(config.jwt, log, options.auth);
  const testDb = options.database ?? (options.db ? { db: options.db, name: undefined, url: undefined, drop: async () => {} } : await createTestDatabase());
  // As in main.ts: nothing reaches the database before its migrations are applied.
  const gate = gateOnMigrations(testDb.db, { retryMs: 100, maxRetryMs: 500, onFatal: () => {} });
  const contract = options.contract ?? loadContract();
  const { stages } = tasksPipeline({ config, contract, db: gate.db, log, verifier, handlers: options.handlers, rateLimitStore: options.rateLimitStore, metrics: options.metrics });
  const arranged = options.arrange ? options.arrange(stages) : stages;
  const app = options.host === 'express' ? expressHost(arranged) : mount(arranged);
  const { url, stop } = await listenLocally(createHttpServer(app, options.parserCors === false ? undefined : config.cors, config.http));
  return {
    url,
    db: testDb.db,
    config,
    request: originRequest(url),
    async close() {
      gate.stop();
      await stop();
      await testDb.drop();
    },
  };
}
