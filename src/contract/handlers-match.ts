/** Start-up check that every operationId has exactly one way to be answered: a handler or an upstream. */
import type { Contract } from './spec.js';

/**
 * Throws naming every operationId with neither a handler nor an upstream, every handler without
 * an operation, and every operation the spec sends upstream (x-specgate-upstream) that also has a handler.
 */
export function assertHandlersMatch(
  contract: Contract,
  handlers: object,
  upstream: { readonly byOperation: ReadonlyMap<string, string>; readonly explicit: ReadonlySet<string> } = { byOperation: new Map(), explicit: new Set() },
): void {
  const declared = new Set(contract.operations.map((op) => op.operationId));
  const implemented = new Set(Object.keys(handlers));
  const missing = [...declared].filter((id) => !implemented.has(id) && !upstream.byOperation.has(id));
  const extra = [...implemented].filter((id) => !declared.has(id));
  const both = [...implemented].filter((id) => upstream.explicit.has(id));
  const problems = [
    ...(missing.length > 0 ? [`no handler for operationId(s): ${missing.join(', ')} (write one, mark the operation x-specgate-upstream, or set UPSTREAM_URL)`] : []),
    ...(extra.length > 0 ? [`handler(s) for operationId(s) not in the spec: ${extra.join(', ')}`] : []),
    ...(both.length > 0 ? [`operationId(s) both handled and sent upstream by x-specgate-upstream: ${both.join(', ')}`] : []),
  ];
  if (problems.length > 0) throw new Error(`Handlers do not match openapi.yaml: ${problems.join('; ')}`);
}
