/**
 * The tracing serve() started in this process, if any: pipelines built without an explicit
 * `tracing` (and the Tasks API, for its database spans) ask for it here.
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
