/** What serve() runs: a built pipeline as a request listener, an upgrade listener, and its drain and close. */
import type { RequestListener } from 'node:http';
import type { Contract } from '../contract/spec.js';
import type { OriginHealth } from '../pipeline/last-stage.js';
import { mount, type Pipeline } from '../pipeline/pipeline.js';
import { mountUpgrade, type UpgradeListener } from '../pipeline/upgrade.js';

/** An app ready for a node:http server. */
export interface ServedApp {
  readonly contract: Contract;
  readonly listener: RequestListener;
  /** The 'upgrade' listener, when the contract has WebSocket paths. */
  readonly upgrade: UpgradeListener | undefined;
  /** The upstream origins and their state (empty when nothing goes upstream). */
  health(): readonly OriginHealth[];
  /** Ends what would never end by itself once the server drains (open WebSockets). */
  drain(): void;
  /** Releases the last stage's resources (upstream pools, idempotency stores). */
  close(): Promise<void>;
  /** Compiles what a pipeline built with deferCompile left to compile, yielding to requests between operations; rejects as the build would have thrown. */
  prepare?(): Promise<void>;
}

/** Mounts a built pipeline. */
export function servedApp(built: Pipeline): ServedApp {
  return {
    contract: built.contract,
    prepare: async () => {
      await built.validators.prepare();
      await built.last.prepare?.();
    },
    listener: mount(built.stages),
    upgrade: built.upgradeStages && mountUpgrade(built.upgradeStages),
    health: () => built.last.health?.() ?? [],
    drain: () => {
      built.last.drain?.();
      built.tunnel?.drain?.();
    },
    close: async () => {
      await built.last.close?.();
      await built.tunnel?.close?.();
    },
  };
}
