/**
 * A CLIENT span around one Redis script call (a rate-limit batch, an idempotency step), when the
 * process traces and a sampled request is being served; otherwise just the call. The span names the
 * script, never a key (keys hold client addresses and user ids).
 */
import { processTracing } from './process-tracing.js';

/** Runs `call` inside a span named `name` (`EVALSHA gcra_batch`), `size` the decisions it carries. */
export function redisSpan<T>(name: string, size: number, call: () => Promise<T>): Promise<T> {
  const tracing = processTracing();
  if (tracing === undefined) return call();
  // The semantic conventions' names, written out: nothing of OpenTelemetry is loaded with tracing off.
  return tracing.client(name, { 'db.system.name': 'redis', 'db.operation.name': 'EVALSHA', 'db.operation.batch.size': size }, call);
}
