/**
 * The tracing serve() started in this process, if any: the stores opened outside a pipeline
 * (Redis) and pipelines built without an explicit `tracing` ask for it here.
 */
import type { Tracing } from './tracing.js';

let current: Tracing | undefined;

/** Records the process's tracing (serve(), once, before building the app). */
export function setProcessTracing(tracing: Tracing | undefined): void {
  current = tracing;
}

/** The process's tracing; undefined when OTEL_* leaves it off. */
export function processTracing(): Tracing | undefined {
  return current;
}
