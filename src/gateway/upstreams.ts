/**
 * Which operations go upstream and where: `x-specgate-upstream` on the operation, its path item or
 * the document root (the nearest wins), else UPSTREAM_URL for an operation without a handler.
 */
import { upstreamUrlProblem } from '../config.js';
import type { Contract, OperationInfo } from '../contract/spec.js';

/** The extension that sends operations to an upstream base URL. */
export const UPSTREAM_EXTENSION = 'x-specgate-upstream';

/** The nearest `x-specgate-upstream` for an operation, or undefined when none is set. */
export function declaredUpstream(contract: Contract, op: OperationInfo): string | undefined {
  const doc = contract.document;
  const item = doc.paths[op.path];
  const value = item[op.method]?.[UPSTREAM_EXTENSION] ?? item[UPSTREAM_EXTENSION] ?? doc[UPSTREAM_EXTENSION];
  return value === undefined ? undefined : String(value);
}

/** Where each upstream operation goes, and which ones the spec itself sends there. */
export interface UpstreamRouting {
  /** operationId → upstream base URL. */
  readonly byOperation: ReadonlyMap<string, string>;
  /** operationIds with an `x-specgate-upstream` (the handler map must not implement them). */
  readonly explicit: ReadonlySet<string>;
}

/**
 * Resolves every operation's upstream once at start-up; throws naming each bad extension URL.
 * `fallback` (UPSTREAM_URL or --upstream) takes the operations that have no handler.
 */
export function upstreamRouting(contract: Contract, handlers: object, fallback: string | undefined): UpstreamRouting {
  const byOperation = new Map<string, string>();
  const explicit = new Set<string>();
  const problems: string[] = [];
  for (const op of contract.operations) {
    const declared = declaredUpstream(contract, op);
    if (declared !== undefined) {
      const problem = upstreamUrlProblem(`${UPSTREAM_EXTENSION} of ${op.operationId}`, declared);
      if (problem) problems.push(problem);
      explicit.add(op.operationId);
      byOperation.set(op.operationId, declared);
    } else if (fallback !== undefined && !Object.hasOwn(handlers, op.operationId)) {
      byOperation.set(op.operationId, fallback);
    }
  }
  if (problems.length > 0) throw new Error(`Bad upstream in the spec: ${problems.join(' ')}`);
  return { byOperation, explicit };
}
