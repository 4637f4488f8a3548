/**
 * The last stage of a pipeline: what answers a request once it has been routed, authenticated and
 * validated — the Tasks API's handlers, the gateway's upstream forwarder, or the mock. A pipeline
 * takes one; an app whose operations are answered in two ways composes two with `eitherOf`.
 */
import type { Config } from '../config/index.js';
import type { ValidatorSet } from '../contract/operation-validators.js';
import type { Contract, OperationInfo } from '../contract/spec.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { RequestStage } from './stage.js';
import { stateOf } from './state.js';

/** The state of one upstream origin, as readiness reports it. */
export interface OriginHealth {
  readonly origin: string;
  readonly state: 'up' | 'down' | 'open';
}

/** A built last stage: the stage itself, the operations it answers, and what it holds open. */
export interface LastStage {
  /** A name for start-up errors and docs/architecture.md ("handlers", "upstream", "mock"). */
  readonly name: string;
  /** The operationIds this stage answers. */
  readonly answers: ReadonlySet<string>;
  readonly stage: RequestStage;
  /** The upstream origins it depends on, for readiness; none when absent. */
  health?(): readonly OriginHealth[];
  /** Told when the server starts draining: ends what would never end by itself (open WebSockets, 1001 Going Away). */
  drain?(): void;
  /** Releases what it holds (upstream pools, stores); called once when the server stops. */
  close?(): Promise<void>;
  /** Compiles what it left to compile when built with `deferCompile` (its own validators); rejects as building would have thrown. */
  prepare?(): Promise<void>;
}

/** What the pipeline has compiled from the contract before it builds the last stage. */
export interface Compiled {
  readonly contract: Contract;
  readonly config: Config;
  readonly log: Logger;
  /** Request validators, with response validators when `responsesChecked`. */
  readonly validators: ValidatorSet;
  readonly responsesChecked: boolean;
  readonly metrics: Metrics | undefined;
  /** Leave compiling validators to prepare() (live reload: in slices, requests served in between). */
  readonly deferCompile?: boolean;
}

/** Builds a last stage from what the pipeline compiled (called once, at start-up). */
export type LastStageFactory = (compiled: Compiled) => LastStage;

/** A last stage that hands each operation to the first of `factories` that answers it. */
export function eitherOf(...factories: readonly LastStageFactory[]): LastStageFactory {
  return (compiled) => {
    const built = factories.map((factory) => factory(compiled));
    const byOperation = new Map<string, RequestStage>();
    for (const last of built) for (const id of last.answers) if (!byOperation.has(id)) byOperation.set(id, last.stage);
    if (built.length === 1) return built[0]!;
    return {
      name: built.map((last) => last.name).join(' | '),
      answers: new Set(byOperation.keys()),
      stage: function eitherStage(req, res, next) {
        return byOperation.get(stateOf(res).operation!.operationId)!(req, res, next);
      },
      health: () => built.flatMap((last) => last.health?.() ?? []),
      drain: () => {
        for (const last of built) last.drain?.();
      },
      close: async () => {
        await Promise.all(built.map((last) => last.close?.()));
      },
      prepare: async () => {
        for (const last of built) await last.prepare?.();
      },
    };
  };
}

/** Throws naming every declared operation no last stage answers. */
export function assertEveryOperationAnswered(operations: readonly OperationInfo[], last: LastStage): void {
  const missing = operations.filter((op) => !last.answers.has(op.operationId)).map((op) => op.operationId);
  if (missing.length > 0) throw new Error(`No last stage answers operationId(s): ${missing.join(', ')} (write a handler, mark the operation x-specgate-upstream, or set UPSTREAM_URL)`);
}
