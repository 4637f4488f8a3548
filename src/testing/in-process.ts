/**
 * The pipeline answered in-process, as Fastify's `inject()` or Hono's `app.request()` do: a
 * request goes straight into the stages as an IncomingMessage/ServerResponse pair
 * (light-my-request), with no socket and no database, so a stage test starts in milliseconds.
 * The last stage is the Tasks API's handlers over a Map (src/testing/memory-tasks.ts) unless a
 * test passes its own; `listen()` puts the same app on a socket for what only a socket shows.
 */
import type { RequestListener } from 'node:http';
import inject from 'light-my-request';
import { createTokenVerifier } from '../auth/verifier.js';
import { loadConfig, type Config } from '../config/index.js';
import type { Handlers } from '../contract/handler.js';
import { loadContract } from '../contract/spec.js';
import { publishedDocuments } from '../docs/published.js';
import { memoryStore } from '../limits/memory-store.js';
import { createLogger } from '../logger.js';
import type { AnyHandler } from '../pipeline/dispatch.js';
import { handlerStage } from '../pipeline/handler-stage.js';
import { mount, pipeline } from '../pipeline/pipeline.js';
import { createHttpServer } from '../serve/http-server.js';
import { listenLocally } from './listen-locally.js';
import { memoryTaskHandlers } from './memory-tasks.js';
import { ALLOWED_ORIGIN, originRequest, type TestServerOptions } from './server.js';
import { TEST_JWT_SECRET } from './tokens.js';

/** An app answered in-process; `request` is fetch-shaped and sends Origin: ALLOWED_ORIGIN unless told otherwise. */
export interface InProcessApp {
  readonly config: Config;
  readonly listener: RequestListener;
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** The same app on a real socket (127.0.0.1, an ephemeral port), for keep-alive and what the parser does. */
  listen(): Promise<ListeningApp>;
  /** Nothing holds a socket or a database: there is nothing to release (kept so tests read alike). */
  close(): Promise<void>;
}

/** An in-process app on a socket; `request` is fetch over it. */
export interface ListeningApp {
  readonly url: string;
  readonly config: Config;
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** What an in-process app differs in from the default one: as a test server's options, and any handler map. */
export interface InProcessOptions extends Pick<TestServerOptions, 'env' | 'auth' | 'logTo' | 'contract'> {
  /** The handlers instead of the Map-backed Tasks handlers. */
  readonly handlers?: Handlers | Record<string, AnyHandler<object>>;
}

const NO_BODY = new Set([101, 204, 205, 304]);

/** Builds the app: the pipeline with its last stage, nothing listening. */
export async function inProcessApp(options: InProcessOptions = {}): Promise<InProcessApp> {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent', ...options.env });
  const log = createLogger(config.logLevel, options.logTo);
  const verifier = await createTokenVerifier(config.jwt, log, options.auth);
  const contract = options.contract ?? loadContract();
  const limits = { store: memoryStore(), failClosed: config.limits.failClosed };
  const context = { apiVersion: contract.version, documents: publishedDocuments(contract), limits, upstreams: () => [] };
  const handlers = (options.handlers ?? memoryTaskHandlers()) as Record<string, AnyHandler<object>>;
  const { stages } = pipeline({ config, contract, log, security: { verifier }, rateLimitStore: limits.store, last: handlerStage(handlers, { context }) });
  const listener = mount(stages);
  return {
    config,
    listener,
    async request(path, { token, headers, body, method = 'GET' } = {}) {
      const sent = new Headers(headers);
      if (!sent.has('origin')) sent.set('origin', ALLOWED_ORIGIN);
      if (token !== undefined) sent.set('authorization', `Bearer ${token}`);
      const payload = body === undefined || body === null ? undefined : typeof body === 'string' ? body : Buffer.from(body as Uint8Array);
      const plain: Record<string, string> = {};
      sent.forEach((value, name) => (plain[name] = value));
      const res = await inject(listener, { method: method as never, url: path, headers: plain, ...(payload === undefined ? {} : { payload }) });
      const answer = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined) answer.append(name, String(one));
      }
      const empty = NO_BODY.has(res.statusCode) || method.toUpperCase() === 'HEAD';
      return new Response(empty ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: answer });
    },
    close: async () => {},
    async listen() {
      const { url, stop } = await listenLocally(createHttpServer(listener, config.cors, config.http));
      return { url, config, request: originRequest(url), close: stop };
    },
  };
}
