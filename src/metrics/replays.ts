/**
 * specgate_idempotent_replays_total: the handlers of operations whose responses declare the
 * `Idempotent-Replayed` header are wrapped to count each result that carries it. Read from the
 * handler's result, not the response, so it holds however dispatch writes the headers.
 */
import type { Contract } from '../contract/spec.js';
import type { AnyHandler } from '../pipeline/dispatch.js';
import type { Metrics } from './metrics.js';

const HEADER = 'idempotent-replayed';

/** Whether any response of the operation at `path` and `method` declares the Idempotent-Replayed header. */
function declaresReplay(contract: Contract, path: string, method: string): boolean {
  const responses = contract.document.paths?.[path]?.[method]?.responses ?? {};
  return Object.values<{ headers?: Record<string, unknown> }>(responses).some((response) => Object.keys(response?.headers ?? {}).some((name) => name.toLowerCase() === HEADER));
}

/** The handler map with every replaying operation's handler counting its replays into `metrics`. */
export function countingReplays<C>(handlers: Readonly<Record<string, AnyHandler<C>>>, contract: Contract, metrics: Metrics): Readonly<Record<string, AnyHandler<C>>> {
  const counted = { ...handlers };
  for (const op of contract.operations) {
    const handler = handlers[op.operationId];
    if (!handler || !declaresReplay(contract, op.path, op.method)) continue;
    const replays = metrics.idempotentReplays.series({ operation: op.operationId });
    counted[op.operationId] = async function countingReplaysOf(input, ctx) {
      const result = await handler(input, ctx);
      const headers = result.headers ?? {};
      if (Object.keys(headers).some((name) => name.toLowerCase() === HEADER && String(headers[name]) === 'true')) replays.inc();
      return result;
    };
  }
  return counted;
}
