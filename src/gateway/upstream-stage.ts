/**
 * The upstream as a last stage: the operations the contract sends upstream (x-specgate-upstream,
 * else UPSTREAM_URL for operations nothing else answers) go through the forwarder, with
 * Idempotency-Key honoured on the POST and PATCH operations that declare it, and the answers
 * checked against the contract as UPSTREAM_RESPONSE_VALIDATION and x-specgate-response-validation say.
 * Each origin is health-checked while its circuit is open (src/gateway/health-checks.ts), and each
 * change of a circuit's state is logged once.
 */
import { compileOperationValidators, type ValidatorSet } from '../contract/operation-validators.js';
import { upstreamObserver } from '../metrics/upstream-observer.js';
import type { Compiled, LastStage, LastStageFactory } from '../pipeline/last-stage.js';
import type { RequestStage } from '../pipeline/stage.js';
import { createForwarder, type Forwarder } from './forward.js';
import { refuseUnderscoreHeaders } from './headers.js';
import { declaredHealthPaths, startHealthChecks } from './health-checks.js';
import { idempotentForwarding, idempotentOperations, leaseFor } from './idempotency.js';
import { memoryIdempotencyStore } from './idempotency-memory.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { originPools, type OriginPools } from './origin-pools.js';
import { requiredResponseHeaders } from './response-contract.js';
import { responseValidationModes } from './response-validation.js';

/** Options of the upstream stage. */
export interface UpstreamStageOptions {
  /** operationId → upstream base URL (src/gateway/upstreams.ts `upstreamRouting`). */
  readonly byOperation: ReadonlyMap<string, string>;
  /** Where Idempotency-Key records live (Redis, shared by every instance); this stage's memory by default. */
  readonly idempotencyStore?: IdempotencyStore;
}

/** A last stage forwarding the operations of `byOperation` upstream; answers nothing when it is empty. */
export function upstreamStage({ byOperation, idempotencyStore }: UpstreamStageOptions): LastStageFactory {
  return (compiled): LastStage => {
    if (byOperation.size === 0) return { name: 'upstream', answers: new Set(), stage: (_req, _res, next) => next() };
    const { config, contract, log } = compiled;
    const pools = originPools(config.upstream, byOperation, (upstream) => (to, from, cause) => {
      const line = { upstream, from, to, cause };
      if (to === 'open') log.warn(line, 'upstream circuit opened: its requests are answered 503 until a probe succeeds');
      else log.info(line, to === 'closed' ? 'upstream circuit closed: requests go through again' : 'upstream circuit half-open: one probe goes through');
    });
    const checks = startHealthChecks({
      origins: pools.origins,
      configuredPath: config.upstream.healthPath,
      declared: declaredHealthPaths(contract, byOperation),
      intervalMs: config.upstream.healthIntervalMs,
      timeoutMs: config.upstream.timeoutMs,
    });
    const { forwarder, checking } = forwarderFor(compiled, byOperation, pools);
    const stage = refusingUnderscores(compiled, withIdempotency(compiled, forwarder, byOperation, idempotencyStore));
    return {
      name: 'upstream',
      answers: new Set(byOperation.keys()),
      stage,
      health: () => forwarder.health(),
      prepare: async () => {
        // Its own response validators (production: the pipeline checks none); the pipeline's are prepared by the pipeline.
        if (checking !== compiled.validators) await checking?.prepare();
      },
      close: async () => {
        checks.stop();
        await forwarder.close();
        await idempotencyStore?.close();
      },
    };
  };
}

/** The forwarder, checking answers with the pipeline's response validators, or its own when the pipeline checks none; and the validators it checks with. */
function forwarderFor({ config, contract, validators, responsesChecked, metrics, deferCompile }: Compiled, byOperation: ReadonlyMap<string, string>, pools: OriginPools): { forwarder: Forwarder; checking: ValidatorSet | undefined } {
  const modes = responseValidationModes(contract, config.upstream.responseValidation, config.production);
  const checking = !modes.any ? undefined : responsesChecked ? validators : compileOperationValidators(contract, { responses: true, deferred: deferCompile });
  const requiredHeaders = checking ? requiredResponseHeaders(contract) : undefined;
  const observer = metrics && upstreamObserver(metrics);
  return { forwarder: createForwarder({ config: config.upstream, trustProxy: config.limits.trustProxy, byOperation, validators: checking, requiredHeaders, observer, modes, pools }), checking };
}

/** The stage, behind the refusal of header names with `_` under UPSTREAM_UNDERSCORE_HEADERS=refuse: before an Idempotency-Key is claimed, so a refusal is never kept as its answer. */
function refusingUnderscores({ config }: Compiled, stage: RequestStage): RequestStage {
  const mode = config.upstream.underscoreHeaders;
  if (mode === 'drop') return stage;
  return function refuseUnderscoreStage(req, res, next) {
    refuseUnderscoreHeaders(req, mode);
    return stage(req, res, next);
  };
}

/** The forwarder's stage, with Idempotency-Key records for the operations that declare the header. */
function withIdempotency({ config, contract, metrics }: Compiled, forwarder: Forwarder, byOperation: ReadonlyMap<string, string>, store: IdempotencyStore | undefined): RequestStage {
  const operations = idempotentOperations(contract, byOperation);
  if (operations.size === 0) return forwarder.stage;
  const replays = metrics && new Map([...operations].map((operation) => [operation, metrics.idempotentReplays.series({ operation })]));
  return idempotentForwarding({
    forwarder,
    operations,
    store: store ?? memoryIdempotencyStore({ maxEntries: config.upstream.idempotencyMaxEntries, maxBytes: config.upstream.idempotencyMaxBytes }),
    leaseMs: leaseFor(config.upstream.timeoutMs),
    trustProxy: config.limits.trustProxy,
    onReplay: replays && ((operation) => replays.get(operation)?.inc()),
  });
}
