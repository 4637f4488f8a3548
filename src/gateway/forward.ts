/**
 * The upstream forwarder: the last stage for operations the spec sends upstream. It runs after
 * route, authenticate and validate, so only a request the contract accepts is forwarded, over a
 * pooled keep-alive undici client per upstream origin (origin-pools.ts, upstream-send.ts). The
 * answer streams back with the gateway's CORS; error answers become the uniform body
 * (src/gateway/translate.ts), contract-breaking answers a 502 or a log line
 * (UPSTREAM_RESPONSE_VALIDATION), and failures 502 / 504 / 503 (upstream-answer.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { UpstreamConfig } from '../config/index.js';
import type { ValidatorSet } from '../contract/operation-validators.js';
import { circuitOpen } from '../errors.js';
import { stateOf } from '../pipeline/state.js';
import type { UpstreamHealth } from './breaker.js';
import { provenance, publicOrigin } from './forwarded.js';
import { headFromGet, refusesHead } from './head-from-get.js';
import { requestHeaderRules, upstreamRequestHeaders } from './headers.js';
import { rewrittenLocations } from './location-rewrite.js';
import { originPools, PIPELINABLE, type OriginPools } from './origin-pools.js';
import { rawBodyOf } from './raw-body.js';
import type { ResponseValidationModes } from './response-validation.js';
import { checkedAnswer, writeAnswer } from './upstream-answer.js';
import { upstreamPath } from './upstream-path.js';
import type { UpstreamBody } from './upstream-call.js';
import { sendUpstream, type ClientWatch, type UpstreamRequest } from './upstream-send.js';

/** What the forwarder is built from. */
export interface ForwarderDeps {
  readonly config: UpstreamConfig;
  /** How many proxies of ours stand in front (TRUST_PROXY): whose X-Forwarded-* the gateway believes. */
  readonly trustProxy?: number;
  /** operationId → upstream base URL (src/gateway/upstreams.ts). */
  readonly byOperation: ReadonlyMap<string, string>;
  /** Validators with responses compiled, or undefined when UPSTREAM_RESPONSE_VALIDATION=off. */
  readonly validators: ValidatorSet | undefined;
  /** Response headers each operation's statuses require (src/gateway/response-contract.ts). */
  readonly requiredHeaders?: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
  /** Told of each upstream answer's head latency and of each failure (metrics). */
  readonly observer?: UpstreamObserver;
  /** What a contract-breaking answer does, per operation (src/gateway/response-validation.ts). */
  readonly modes: ResponseValidationModes;
  /** The origins' pools and breakers, when the caller made them (to health-check them); made here otherwise. */
  readonly pools?: OriginPools;
}

/** What the forwarder reports about each upstream origin (src/metrics/upstream-observer.ts). */
export interface UpstreamObserver {
  /** The origin's response head arrived `seconds` after the request was sent. */
  answered(origin: string, seconds: number): void;
  failed(origin: string, kind: UpstreamFailure): void;
  /** An answer to `operationId` broke the contract (whatever the validation mode did about it). */
  violated?(operationId: string): void;
}

/** How a forward failed: no connection, no answer in time, circuit open, an answer against the contract, a body that broke off. */
export type UpstreamFailure = 'connection' | 'timeout' | 'circuit_open' | 'contract' | 'broken_body';

/** An upstream's answer, before it is written: its status, its headers (lower-cased, as received) and its body. */
export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The bytes, when read in full (checked against the contract, or stored), else the body still to read. */
  readonly body: Buffer | UpstreamBody;
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

/** Whether the client of a forwarded request went away, and the upstream request to give up when it does. */
class ClientGone implements ClientWatch {
  gone = false;
  call: ClientWatch['call'] = undefined;
}

/** Answers that count as the upstream failing, for its breaker. */
const UPSTREAM_UNAVAILABLE = new Set([502, 503, 504]);

/** Builds the forwarder; a pool per upstream origin, connecting on its first request. */
export function createForwarder({ config, trustProxy = 0, byOperation, validators, requiredHeaders, observer, modes, pools = originPools(config, byOperation) }: ForwarderDeps): Forwarder {
  const { targets } = pools;
  const rules = requestHeaderRules(config, trustProxy);
  const timeout = config.timeoutMs;

  /** Sends the request upstream and checks the answer; undefined when the client went away first (`abortable`). */
  async function forwardOnce(req: IncomingMessage, res: ServerResponse, abortable: boolean): Promise<UpstreamAnswer | undefined> {
    const state = stateOf(res);
    const op = state.operation!;
    const target = targets.get(op.operationId)!;
    const caller = state.claims === undefined ? { sub: undefined, claims: undefined } : { sub: state.userId, claims: state.claims };
    // Everything that could refuse the request is decided before the breaker is asked: a request never sent is no probe.
    const body = rawBodyOf(state);
    // The body stage undid any Content-Encoding: the bytes go as they are now, with their length.
    const outgoing = upstreamRequestHeaders(req, rules, state.requestId, caller, { bytes: body });
    const wait = target.origin.breaker.refuse();
    if (wait !== undefined) {
      observer?.failed(target.origin.name, 'circuit_open');
      throw circuitOpen(`The upstream for ${op.operationId} is failing, so its circuit is open. Try again in ${wait} s.`, target.origin.name, wait);
    }
    let client: ClientGone | undefined;
    if (abortable) {
      const watch = (client = new ClientGone());
      res.once('close', () => {
        if (res.writableFinished) return;
        watch.gone = true;
        watch.call?.abort();
      });
    }
    const { search } = state;
    // With tracing on, the upstream's traceparent names this request's CLIENT span (else headers.ts's rule).
    const span = state.trace?.upstream(req.method ?? 'GET', target.origin.name, `${target.basePath}${state.path}`, op.path);
    span?.inject(outgoing);
    const options: UpstreamRequest = {
      method: req.method as Dispatcher.HttpMethod,
      path: `${target.basePath}${upstreamPath(op.path, state.pathParams)}${search === undefined ? '' : `?${search}`}`,
      headers: outgoing,
      body,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      // undici pipelines a GET or HEAD only when told its answer will not hold the connection up (UPSTREAM_PIPELINING).
      blocking: !PIPELINABLE.has(req.method!),
    };
    let answer = await sendUpstream(op, target, options, observer, span, client);
    if (answer !== undefined && refusesHead(req.method, answer.statusCode)) answer = await headFromGet(answer, () => sendUpstream(op, target, { ...options, method: 'GET' }, observer, undefined, client));
    if (answer === undefined) return;
    // A 502/503/504 is the upstream (or its own proxy) failing; any other answer, a 500 included, came from a working upstream.
    if (UPSTREAM_UNAVAILABLE.has(answer.statusCode)) target.origin.breaker.failed();
    else target.origin.breaker.succeeded();
    const named = answer.headers.location !== undefined || answer.headers['content-location'] !== undefined;
    const headers = named ? rewrittenLocations(answer.headers, { upstreamOrigin: target.origin.name, basePath: target.basePath, publicOrigin: publicOrigin(provenance(req, trustProxy)) }) : answer.headers;
    return checkedAnswer(headers === answer.headers ? answer : { ...answer, headers }, {
      op,
      method: req.method,
      origin: target.origin.name,
      config,
      validators,
      requiredHeaders: requiredHeaders?.get(op.operationId),
      observer,
      logs: state,
      modes,
    });
  }

  async function forwardStage(req: IncomingMessage, res: ServerResponse, _next: (error?: unknown) => void): Promise<void> {
    const answer = await forwardOnce(req, res, true);
    if (answer !== undefined) writeAnswer(res, answer);
  }

  return {
    stage: forwardStage,
    exchange: async (req, res) => (await forwardOnce(req, res, false))!,
    write: writeAnswer,
    handles: (operationId) => targets.has(operationId),
    health: pools.health,
    close: pools.close,
  };
}
