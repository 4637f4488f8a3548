/**
 * Live reload of the contract in one process (docs/contract.md "Live reload"): the document is
 * read again, digested and compared with the running one in a worker thread
 * (src/serve/reload-check.ts, src/serve/reload-decision.ts), built into a whole new app while
 * requests keep being served (validators compiled one operation per event-loop turn, unchanged
 * schemas reusing their compiled functions), and swapped in in one step (src/serve/swappable-app.ts). A
 * document that does not parse or build, or that breaks clients without permission, is refused:
 * the running contract stays. Every outcome is one log line with the contract digest before and
 * after, and is counted in specgate_contract_reloads_total{outcome}. Reloads run one at a time;
 * triggers that arrive during one are folded into a single next reload.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { OpenApiDocument } from '../contract/spec.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { ContractSource } from './contract-source.js';
import { reloadCheck } from './reload-check.js';
import { contractDigest, findingFields, type ReloadDecision } from './reload-decision.js';
import type { ServedApp } from './served-app.js';
import type { SwappableApp } from './swappable-app.js';

/** What a reload did: `unchanged` when the document is the one already served. */
export type ReloadOutcome = 'applied' | 'refused' | 'unchanged';

/** What a reloader works with. */
export interface ReloaderDeps {
  readonly source: ContractSource;
  /** The document the running app was built from. */
  readonly document: OpenApiDocument;
  /** Builds a complete app for a document; a throw refuses the reload. */
  build(document: OpenApiDocument): Promise<ServedApp>;
  readonly app: SwappableApp;
  readonly allowBreaking: boolean;
  readonly log: Logger;
  readonly metrics: Metrics | undefined;
}

/** A process's reloader: `reload(trigger)` resolves with what it did. */
export interface Reloader {
  reload(trigger: string): Promise<ReloadOutcome>;
  /** The process is shutting down: a reload asked for from now on is refused, and one under way is not swapped in. */
  stop(): void;
}

/** The first line of an error's message. */
const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

/** Creates the reloader of a process serving `deps.document`. */
export function createReloader(deps: ReloaderDeps): Reloader {
  const { source, app, log } = deps;
  const check = reloadCheck(deps.document);
  let runningDigest = contractDigest(deps.document);
  let stopped = false;
  const counted = (outcome: 'applied' | 'refused') => deps.metrics?.contractReloads.series({ outcome }).inc();

  async function once(trigger: string): Promise<ReloadOutcome> {
    const started = performance.now();
    // The longest the event loop was held during the reload: how long a request could wait for it.
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    try {
      return await attempt(trigger, started, delay);
    } finally {
      delay.disable();
    }
  }

  async function attempt(trigger: string, started: number, delay: ReturnType<typeof monitorEventLoopDelay>): Promise<ReloadOutcome> {
    const before = runningDigest;
    const ms = () => Math.round(performance.now() - started);
    const refuse = (fields: Record<string, unknown>, message: string): ReloadOutcome => {
      counted('refused');
      log.warn({ trigger, source: source.name, contract: before, ...fields, ms: ms() }, `contract reload refused: ${message}; still serving ${before}`);
      return 'refused';
    };
    const phases: Record<string, number> = {};
    let mark = started;
    // Each phase ends with a turn of the event loop: requests waiting are served first.
    const phase = async (name: string) => {
      const now = performance.now();
      phases[name] = Math.round(now - mark);
      await new Promise((resolve) => setImmediate(resolve));
      mark = performance.now();
    };
    let next: OpenApiDocument;
    try {
      next = await source.read();
      await phase('read');
    } catch (error) {
      return refuse({ reason: 'unreadable' }, `${source.name}: ${firstLine(error)}`);
    }
    // The digest and the breaking-change check run in a worker thread (src/serve/reload-check.ts).
    let after: string;
    let decision: ReloadDecision | undefined;
    try {
      ({ digest: after, decision } = await check.check(next, deps.allowBreaking));
      await phase('check');
    } catch (error) {
      return refuse({ reason: 'unreadable' }, `${source.name}: ${firstLine(error)}`);
    }
    if (decision === undefined) {
      log.info({ trigger, source: source.name, contract: before }, 'contract reload: the document is unchanged');
      return 'unchanged';
    }
    for (const finding of decision.breaking) {
      const fields = findingFields(finding);
      log.warn({ ...fields, contract: before, next: after }, `breaking change: ${fields.check} on ${fields.operation} at ${fields.pointer}: ${fields.message}`);
    }
    if (!decision.apply) {
      return refuse({ reason: 'breaking', next: after, counts: decision.counts }, `${decision.breaking.length} breaking change(s) (listed above); use --allow-breaking or RELOAD_ALLOW_BREAKING=true, or raise info.version's major number`);
    }
    let built: ServedApp;
    try {
      built = await deps.build(next);
      await phase('build');
    } catch (error) {
      return refuse({ reason: 'build', next: after }, `${source.name}: ${firstLine(error)}`);
    }
    if (stopped) {
      await built.close().catch(() => {});
      return refuse({ reason: 'shutting down', next: after }, 'the process is shutting down');
    }
    // The replaced app retires in the background, once its in-flight requests are answered.
    void app.swap(built);
    check.commit();
    runningDigest = after;
    counted('applied');
    log.info(
      { trigger, source: source.name, before, after, reason: decision.reason, counts: decision.counts, operations: built.contract.operations.length, ms: ms(), phases, heldMs: Math.round(delay.max / 1e6) },
      `contract reloaded: ${before} → ${after}`,
    );
    return 'applied';
  }

  let chain: Promise<ReloadOutcome> = Promise.resolve('unchanged');
  let queued: Promise<ReloadOutcome> | undefined;
  return {
    stop() {
      stopped = true;
    },
    reload(trigger) {
      if (stopped) {
        counted('refused');
        log.warn({ trigger, source: source.name, contract: runningDigest, reason: 'shutting down' }, `contract reload refused: the process is shutting down; still serving ${runningDigest}`);
        return Promise.resolve('refused');
      }
      // One reload at a time; triggers during one share the single reload queued after it.
      if (queued) return queued;
      const mine = chain.then(() => {
        queued = undefined;
        return once(trigger);
      });
      queued = mine;
      chain = mine.catch(() => 'refused' as const);
      return mine;
    },
  };
}
