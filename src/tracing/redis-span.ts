/**
 * A CLIENT span around one Redis script call (a rate-limit batch, an idempotency step) of a sampled
 * request; otherwise just the call. The span names the script, never a key (keys hold client
 * addresses and user ids).
 */
import type { RequestTrace } from './tracing.js';

/** Runs `call` inside a span of `trace` named `name` (`EVALSHA gcra_batch`), `size` the decisions it carries. */
export function redisSpan<T>(trace: RequestTrace | undefined, name: string, size: number, call: () => Promise<T>): Promise<T> {
  if (trace?.recording !== true) return call();
  // The semantic conventions' names, written out: nothing of OpenTelemetry is loaded with tracing off.
  return trace.client(name, { 'db.system.name': 'redis', 'db.operation.name': 'EVALSHA', 'db.operation.batch.size': size }, call);
}
