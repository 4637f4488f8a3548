/** Start-up check that the spec's operationIds and the handler map's keys are the same set. */
import type { Contract } from './spec.js';

/** Throws naming every operationId without a handler and every handler without an operation. */
export function assertHandlersMatch(contract: Contract, handlers: object): void {
  const declared = new Set(contract.operations.map((op) => op.operationId));
  const implemented = new Set(Object.keys(handlers));
  const missing = [...declared].filter((id) => !implemented.has(id));
  const extra = [...implemented].filter((id) => !declared.has(id));
  const problems = [
    ...(missing.length > 0 ? [`no handler for operationId(s): ${missing.join(', ')}`] : []),
    ...(extra.length > 0 ? [`handler(s) for operationId(s) not in the spec: ${extra.join(', ')}`] : []),
  ];
  if (problems.length > 0) throw new Error(`Handlers do not match openapi.yaml: ${problems.join('; ')}`);
}
