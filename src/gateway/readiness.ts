/**
 * The gateway's own probes, added to a document that does not declare their paths (so they are
 * in the published contract, and answer HEAD like every GET): GET /livez (the process answers),
 * GET /readyz and GET /health (the same: every upstream's circuit is closed, and Redis answers
 * where its loss changes answers). Degraded readiness is 503 in the uniform error shape with
 * `upstreams` (and `redis`) added, and Retry-After. docs/gateway.md "Readiness".
 */
import type { ServerResponse } from 'node:http';
import type { OpenApiDocument } from '../contract/spec.js';
import type { RateLimitStore } from '../limits/store.js';
import { ratePolicies } from '../limits/policy.js';
import type { LastStage, LastStageFactory, OriginHealth } from '../pipeline/last-stage.js';
import { errorBody } from '../pipeline/error-body.js';
import { applyHeaders, stateOf } from '../pipeline/state.js';
import { serviceUnavailable } from '../errors.js';
import { idempotentOperations } from './idempotency.js';
import type { IdempotencyStore } from './idempotency-store.js';

/** The operationId of the readiness operation the gateway adds at GET /health. */
export const GATEWAY_HEALTH_ID = 'specgateHealth';
/** The operationId of the readiness operation the gateway adds at GET /readyz (the same answer as /health). */
export const GATEWAY_READINESS_ID = 'specgateReadiness';
/** The operationId of the liveness operation the gateway adds at GET /livez. */
export const GATEWAY_LIVENESS_ID = 'specgateLiveness';

const UPSTREAMS = {
  type: 'array',
  description: 'Each upstream origin: up (answered, or not yet tried), down (its last attempt failed), open (its circuit is open: its operations answer 503).',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['origin', 'state'],
    properties: { origin: { type: 'string' }, state: { type: 'string', enum: ['up', 'down', 'open'] } },
  },
};
const REDIS = { type: 'string', enum: ['up', 'down'], description: 'Present when REDIS_URL is set; down makes readiness fail where it refuses requests (RATE_LIMIT_FAILURE=closed with rate-limited operations, or Idempotency-Key records).' };
const READY_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'upstreams'],
  properties: { status: { type: 'string', enum: ['ok'] }, upstreams: UPSTREAMS, redis: REDIS },
};
const DEGRADED_BODY = {
  type: 'object',
  description: 'The uniform error body, with what is down.',
  additionalProperties: false,
  required: ['detail', 'status_code', 'error_type', 'request_id', 'upstreams'],
  properties: {
    detail: { type: 'string' },
    // Quoted: this declares the field; the body itself is written by src/pipeline/error-body.ts.
    'status_code': { type: 'integer', enum: [503] },
    error_type: { type: 'string', enum: ['service_unavailable'] },
    request_id: { type: 'string' },
    upstreams: UPSTREAMS,
    redis: REDIS,
  },
};
const LIVE_BODY = { type: 'object', additionalProperties: false, required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } };
const json = (schema: object) => ({ 'application/json': { schema } });

const readinessOperation = (operationId: string, summary: string) => ({
  get: {
    operationId,
    summary,
    security: [],
    responses: {
      '200': { description: 'Every upstream circuit is closed and Redis, where it matters, answers.', content: json(READY_BODY) },
      '503': {
        description: 'An upstream circuit is open, or Redis is down where that refuses requests.',
        headers: { 'Retry-After': { description: 'Seconds before asking again.', required: true, schema: { type: 'integer', minimum: 1 } } },
        content: json(DEGRADED_BODY),
      },
    },
  },
});

/** The paths the gateway adds, each unless the document declares it. */
const PROBES: Readonly<Record<string, object>> = {
  '/livez': {
    get: {
      operationId: GATEWAY_LIVENESS_ID,
      summary: 'Gateway liveness: 200 whenever the process answers; never asks an upstream.',
      security: [],
      responses: { '200': { description: 'The process answers.', content: json(LIVE_BODY) } },
    },
  },
  '/readyz': readinessOperation(GATEWAY_READINESS_ID, 'Gateway readiness: every upstream circuit closed, Redis up where it matters.'),
  '/health': readinessOperation(GATEWAY_HEALTH_ID, 'Gateway readiness, the same answer as /readyz.'),
};

/** The document with the gateway's /livez, /readyz and /health, each unless it declares that path. */
export function withGatewayHealth(document: OpenApiDocument): OpenApiDocument {
  const added = Object.entries(PROBES).filter(([path]) => document.paths?.[path] === undefined);
  if (added.length === 0) return document;
  return { ...document, paths: { ...document.paths, ...Object.fromEntries(added) } };
}

/** What readiness depends on besides the upstream circuits. */
export interface ReadinessDeps {
  /** The operationIds of the probes the gateway added and no handler answers. */
  readonly ids: ReadonlySet<string>;
  /** Each upstream origin's state now. */
  readonly upstreams: () => readonly OriginHealth[];
  readonly rateLimitStore?: RateLimitStore;
  readonly idempotencyStore?: IdempotencyStore;
  /** operationId → upstream base URL (which operations keep idempotency records). */
  readonly byOperation: ReadonlyMap<string, string>;
}

function write(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  applyHeaders(res);
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', String(Buffer.byteLength(text)));
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(text);
}

/** A last stage answering the gateway's probes. */
export function readinessStage({ ids, upstreams, rateLimitStore, idempotencyStore, byOperation }: ReadinessDeps): LastStageFactory {
  return ({ contract, config }): LastStage => {
    const limitsMatter = rateLimitStore?.kind === 'redis' && config.limits.enabled && config.limits.failClosed && ratePolicies(contract).size > 0;
    const recordsMatter = idempotencyStore?.kind === 'redis' && idempotentOperations(contract, byOperation).size > 0;
    const retryAfter = Math.max(1, Math.ceil(config.upstream.healthIntervalMs / 1000));
    const usesRedis = rateLimitStore?.kind === 'redis' || idempotencyStore?.kind === 'redis';
    /** Redis's state, as /health of the Tasks API reports it: undefined without Redis; `refuses` when its loss changes answers now. */
    const redis = (): { state: 'up' | 'down'; refuses: boolean } | undefined => {
      if (!usesRedis) return undefined;
      const limitsDown = rateLimitStore?.kind === 'redis' && !rateLimitStore.available;
      const recordsDown = idempotencyStore?.kind === 'redis' && !idempotencyStore.available;
      return { state: limitsDown || recordsDown ? 'down' : 'up', refuses: (limitsMatter && limitsDown) || (recordsMatter && recordsDown) };
    };
    return {
      name: 'readiness',
      answers: ids,
      stage: function readinessAnswer(_req, res) {
        const state = stateOf(res);
        if (state.operation!.operationId === GATEWAY_LIVENESS_ID) return write(res, 200, { status: 'ok' });
        const origins = [...upstreams()];
        const store = redis();
        const extra = store === undefined ? {} : { redis: store.state };
        const open = origins.filter((upstream) => upstream.state === 'open').map((upstream) => upstream.origin);
        if (open.length === 0 && !store?.refuses) return write(res, 200, { status: 'ok', upstreams: origins, ...extra });
        const why = [...(open.length > 0 ? [`the circuit of ${open.join(', ')} is open`] : []), ...(store?.refuses ? ['Redis is down'] : [])];
        const error = serviceUnavailable(`Not ready: ${why.join(' and ')}.`, retryAfter);
        state.errorType = error.errorType;
        write(res, error.status, { ...errorBody(error, state.requestId), upstreams: origins, ...extra }, { ...error.headers });
      },
    };
  };
}
