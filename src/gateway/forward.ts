/**
 * The upstream forwarder: the last stage for operations the spec sends upstream. It runs after
 * route, authenticate and validate, so only a request the contract accepts is forwarded, over a
 * pooled keep-alive undici client per upstream origin. The answer streams back with the gateway's
 * CORS; error answers become the uniform body (src/gateway/translate.ts), contract-breaking
 * answers a 502 or a log line (UPSTREAM_RESPONSE_VALIDATION), and failures 502 / 504 / 503.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline as pipe, type Readable } from 'node:stream';
import { createRequire } from 'node:module';
import type { Dispatcher, Pool } from 'undici';
import type { UpstreamConfig } from '../config/index.js';
import type { ValidatorSet } from '../contract/operation-validators.js';
import type { OperationInfo } from '../contract/spec.js';
import { badGateway, gatewayTimeout, serviceUnavailable } from '../errors.js';
import { describeError } from '../log-safe.js';
import { applyHeaders, splitTarget, stateOf } from '../pipeline/state.js';
import { CircuitBreaker, type UpstreamHealth } from './breaker.js';
import { claimHeaderName, mergedVary, responseHeaderFilter, upstreamRequestHeaders, type RequestHeaderRules } from './headers.js';
import { rawBodyOf } from './raw-body.js';
import { bodyViolation, headViolation, needsBody } from './response-contract.js';
import { translateUpstreamError } from './translate.js';

/** Methods retried once on a connection failure (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
/** The most of an upstream error body read to translate it. */
const MAX_ERROR_BODY = 64 * 1024;
/** The most of a JSON answer buffered to check it against the contract. */
const MAX_CHECKED_BODY = 10 * 1024 * 1024;

const CONNECTION_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection dropped',
  UND_ERR_CLOSED: 'connection dropped',
  ENOTFOUND: 'host name did not resolve',
  EAI_AGAIN: 'host name did not resolve',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

const codeOf = (error: unknown): string => String((error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code ?? '');

/** One upstream origin: its pool and its breaker, shared by every base URL on that origin. */
interface Origin {
  readonly name: string;
  readonly pool: Pool;
  readonly breaker: CircuitBreaker;
}

/** Where one operation goes. */
interface Target {
  readonly origin: Origin;
  /** The base URL's path without its trailing slash ('' for the root). */
  readonly basePath: string;
}

/** What the forwarder is built from. */
export interface ForwarderDeps {
  readonly config: UpstreamConfig;
  /** operationId → upstream base URL (src/gateway/upstreams.ts). */
  readonly byOperation: ReadonlyMap<string, string>;
  /** Validators with responses compiled, or undefined when UPSTREAM_RESPONSE_VALIDATION=off. */
  readonly validators: ValidatorSet | undefined;
  /** Response headers each operation's statuses require (src/gateway/response-contract.ts). */
  readonly requiredHeaders?: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
  /** Told of each upstream answer's head latency and of each failure (metrics). */
  readonly observer?: UpstreamObserver;
}

/** What the forwarder reports about each upstream origin (src/metrics/upstream-observer.ts). */
export interface UpstreamObserver {
  /** The origin's response head arrived `seconds` after the request was sent. */
  answered(origin: string, seconds: number): void;
  failed(origin: string, kind: UpstreamFailure): void;
}

/** How a forward failed: no connection, no answer in time, circuit open, an answer against the contract, a body that broke off. */
export type UpstreamFailure = 'connection' | 'timeout' | 'circuit_open' | 'contract' | 'broken_body';

/** An upstream's answer, before it is written: its status, its headers (lower-cased, as received) and its body. */
export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The bytes, when read in full (checked against the contract, or stored), else the stream still to read. */
  readonly body: Buffer | Readable;
}

/** The forwarder: its stage, readiness per upstream origin, and a way to close the pools. */
export interface Forwarder {
  readonly stage: (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => Promise<void>;
  /**
   * Forwards the request and returns the answer without writing it, for a stage that keeps it
   * (src/gateway/idempotency.ts); the upstream request is not aborted when the client goes away.
   * Throws what the stage would answer with: a translated upstream error, 502, 503 or 504.
   */
  exchange(req: IncomingMessage, res: ServerResponse): Promise<UpstreamAnswer>;
  /** Writes an answer as the stage does: the gateway's own headers, the upstream's kept ones, the body. */
  write(res: ServerResponse, answer: UpstreamAnswer): void;
  /** Whether it forwards this operation. */
  handles(operationId: string): boolean;
  /** Each upstream origin and its state: up, down or open. */
  health(): { origin: string; state: UpstreamHealth }[];
  close(): Promise<void>;
}

function readAll(body: Dispatcher.ResponseData['body'], limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return void body.destroy(new Error('upstream body over the check limit'));
      chunks.push(chunk);
    });
    body.once('end', () => resolve(Buffer.concat(chunks)));
    body.once('error', reject);
  });
}

const ignore = () => {};

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** undici, loaded when the first upstream pool is made: a server with no upstream never loads it. */
const undici = () => createRequire(import.meta.url)('undici') as typeof import('undici');

/** Builds the forwarder; pools open lazily on the first request to each origin. */
export function createForwarder({ config, byOperation, validators, requiredHeaders, observer }: ForwarderDeps): Forwarder {
  const origins = new Map<string, Origin>();
  const targets = new Map<string, Target>();
  for (const [operationId, base] of byOperation) {
    const url = new URL(base);
    let origin = origins.get(url.origin);
    if (!origin) {
      const pool = new (undici().Pool)(url.origin, { connections: 256, keepAliveTimeout: 10_000, connectTimeout: Math.min(config.timeoutMs, 10_000) });
      origin = { name: url.origin, pool, breaker: new CircuitBreaker(config.breakerFailures, config.breakerCooldown * 1000) };
      origins.set(url.origin, origin);
    }
    targets.set(operationId, { origin, basePath: url.pathname.replace(/\/+$/, '') });
  }
  const claimHeaders = new Map(config.claimHeaders.map((claim) => [claim, claimHeaderName(claim)]));
  const rules: RequestHeaderRules = {
    userHeader: config.userHeader.toLowerCase(),
    claimHeaders,
    identityHeaders: new Set(claimHeaders.values()),
    forwardAuthorization: config.forwardAuthorization,
  };
  const timeout = config.timeoutMs;

  async function send(op: OperationInfo, target: Target, req: IncomingMessage, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData | undefined> {
    for (let attempt = 0; ; attempt++) {
      const sent = observer ? performance.now() : 0;
      try {
        const answer = await target.origin.pool.request(options);
        observer?.answered(target.origin.name, (performance.now() - sent) / 1000);
        return answer;
      } catch (error) {
        if (options.signal && (options.signal as AbortSignal).aborted) {
          target.origin.breaker.abandoned();
          return undefined;
        }
        const code = codeOf(error);
        const connection = CONNECTION_FAILURES[code];
        if (connection !== undefined && attempt === 0 && IDEMPOTENT.has(req.method!)) continue;
        target.origin.breaker.failed();
        observer?.failed(target.origin.name, TIMEOUTS.has(code) ? 'timeout' : 'connection');
        if (TIMEOUTS.has(code)) throw gatewayTimeout(`The upstream for ${op.operationId} did not answer within ${timeout} ms.`, error);
        throw badGateway(`The upstream for ${op.operationId} could not be reached (${connection ?? 'broken answer'}).`, error);
      }
    }
  }

  /** Sends the request upstream and checks the answer; undefined when the client went away first (`abortable`). */
  async function forwardOnce(req: IncomingMessage, res: ServerResponse, abortable: boolean): Promise<UpstreamAnswer | undefined> {
    const state = stateOf(res);
    const op = state.operation!;
    const target = targets.get(op.operationId)!;
    const wait = target.origin.breaker.refuse();
    if (wait !== undefined) {
      observer?.failed(target.origin.name, 'circuit_open');
      throw serviceUnavailable(`The upstream for ${op.operationId} is failing, so its circuit is open. Try again in ${wait} s.`, wait);
    }
    const caller = state.claims === undefined ? { sub: undefined, claims: undefined } : { sub: state.userId, claims: state.claims };
    let signal: AbortSignal | undefined;
    if (abortable) {
      const controller = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      signal = controller.signal;
    }
    const body = rawBodyOf(state);
    const outgoing = upstreamRequestHeaders(req, rules, state.requestId, caller);
    // The body stage undid any Content-Encoding: the bytes go as they are now, with their length.
    delete outgoing['content-encoding'];
    if (body === undefined) delete outgoing['content-length'];
    else outgoing['content-length'] = String(body.length);
    const { search } = splitTarget(req.url ?? '/');
    const answer = await send(op, target, req, {
      method: req.method as Dispatcher.HttpMethod,
      path: `${target.basePath}${state.path}${search === undefined ? '' : `?${search}`}`,
      headers: outgoing,
      body,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal,
    });
    if (answer === undefined) return;
    // Failures of the body are handled where it is read (readAll, pipe); an abort after that is expected.
    answer.body.on('error', ignore);
    target.origin.breaker.succeeded();
    const { statusCode: status, headers } = answer;
    const contentType = single(headers['content-type']);
    if (status >= 400 && config.errors === 'normalize') {
      const bytes = await readAll(answer.body, MAX_ERROR_BODY).catch(() => Buffer.alloc(0));
      throw translateUpstreamError(status, contentType, bytes, headers);
    }
    let buffered: Buffer | undefined;
    const checks = validators?.get(op.operationId);
    if (checks && (status < 400 || config.errors === 'pass')) {
      const hasBody = req.method !== 'HEAD' && status !== 204 && status !== 304 && (headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0'));
      const head = { status, contentType, hasBody, headers };
      let violation = headViolation(checks, op, head, requiredHeaders?.get(op.operationId));
      if (violation === undefined && needsBody(checks, head)) {
        try {
          buffered = await readAll(answer.body, MAX_CHECKED_BODY);
        } catch (error) {
          observer?.failed(target.origin.name, 'broken_body');
          throw badGateway(`The upstream's answer to ${op.operationId} broke off.`, error);
        }
        violation = bodyViolation(checks, status, buffered);
      }
      if (violation !== undefined) {
        state.log.warn({ operationId: op.operationId, status, violation }, 'upstream answer breaks the contract');
        observer?.failed(target.origin.name, 'contract');
        if (config.responseValidation === 'enforce') {
          answer.body.destroy();
          throw badGateway(`The upstream's answer to ${op.operationId} breaks the contract: ${violation}.`);
        }
      }
    }
    return { status, headers, body: buffered ?? answer.body };
  }

  function write(res: ServerResponse, { status, headers, body }: UpstreamAnswer): void {
    applyHeaders(res);
    res.statusCode = status;
    const keep = responseHeaderFilter(headers);
    for (const [name, value] of Object.entries(headers)) if (value !== undefined && keep(name)) res.setHeader(name, value);
    const vary = mergedVary(res.getHeader('vary') as string | undefined, headers.vary);
    if (vary !== undefined) res.setHeader('Vary', vary);
    if (Buffer.isBuffer(body)) return void res.end(body);
    // A client that went away ends the pipe too; only a failure on the upstream's side is worth a line.
    let clientGone = res.destroyed;
    res.once('close', () => {
      if (!res.writableFinished) clientGone = true;
    });
    pipe(body, res, (error) => {
      if (error && !clientGone) stateOf(res).log.warn({ operationId: stateOf(res).operation?.operationId, cause: describeError(error) }, 'upstream body broke off or stalled; connection ended');
    });
  }

  async function forwardStage(req: IncomingMessage, res: ServerResponse, _next: (error?: unknown) => void): Promise<void> {
    const answer = await forwardOnce(req, res, true);
    if (answer !== undefined) write(res, answer);
  }

  return {
    stage: forwardStage,
    exchange: async (req, res) => (await forwardOnce(req, res, false))!,
    write,
    handles: (operationId) => targets.has(operationId),
    health: () => [...origins].map(([name, origin]) => ({ origin: name, state: origin.breaker.health() })),
    close: async () => {
      await Promise.all([...origins.values()].map((origin) => origin.pool.close()));
    },
  };
}
