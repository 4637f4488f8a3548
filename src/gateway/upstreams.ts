/**
 * Which operations go upstream and where: `x-specgate-upstream` on the operation or its path item
 * (the nearest wins); for an operation without a handler, the document root's, else UPSTREAM_URL.
 */
import { upstreamUrlProblem } from '../config/index.js';
import type { Contract, OperationInfo } from '../contract/spec.js';

/** The extension that sends operations to an upstream base URL. */
export const UPSTREAM_EXTENSION = 'x-specgate-upstream';

/** The extension on the operation or its path item (nearest first): the operation must go there. */
function ownUpstream(contract: Contract, op: OperationInfo): string | undefined {
  const item = contract.document.paths[op.path];
  const value = item[op.method]?.[UPSTREAM_EXTENSION] ?? item[UPSTREAM_EXTENSION];
  return value === undefined ? undefined : String(value);
}

/** The extension on the document root: where operations without a handler go (the gateway's own /health has one). */
function rootUpstream(contract: Contract): string | undefined {
  const value = contract.document[UPSTREAM_EXTENSION];
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
  const root = rootUpstream(contract);
  if (root !== undefined) {
    const problem = upstreamUrlProblem(`${UPSTREAM_EXTENSION} of the document root`, root);
    if (problem) problems.push(problem);
  }
  for (const op of contract.operations) {
    const own = ownUpstream(contract, op);
    if (own !== undefined) {
      const problem = upstreamUrlProblem(`${UPSTREAM_EXTENSION} of ${op.operationId}`, own);
      if (problem) problems.push(problem);
      explicit.add(op.operationId);
      byOperation.set(op.operationId, own);
    } else if (!Object.hasOwn(handlers, op.operationId) && (root ?? fallback) !== undefined) {
      byOperation.set(op.operationId, (root ?? fallback)!);
    }
  }
  if (problems.length > 0) throw new Error(`Bad upstream in the spec: ${problems.join(' ')}`);
  return { byOperation, explicit };
}
