/**
 * Rate-limit policies from the contract: `x-specgate-rate-limit: {requests, per, by}` on the
 * document root or an operation, the nearest winning. A root policy is one budget shared by every
 * operation that inherits it (named "default"); an operation's own policy is a budget of its own
 * (named by its operationId). A limited operation must declare its 429, or start-up fails.
 */
import type { Contract, OpenApiDocument } from '../contract/spec.js';

/** Whose requests share one budget: the verified caller (`sub`) or the client address. */
export type LimitBy = 'caller' | 'ip';

/** One budget: `requests` per `per` seconds, keyed by caller or address. */
export interface RatePolicy {
  /** The policy's name in RateLimit-Policy and RateLimit, and in the store's keys. */
  readonly name: string;
  readonly requests: number;
  readonly per: number;
  readonly by: LimitBy;
}

/** The extension's name in openapi.yaml. */
export const EXTENSION = 'x-specgate-rate-limit';

/** Reads one extension value, or throws naming where it is and what is wrong. */
function parsePolicy(raw: unknown, name: string, where: string): RatePolicy {
  const value = raw as Record<string, unknown> | null;
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null) throw new Error(`${EXTENSION} at ${where} must be an object {requests, per, by}.`);
  const positive = (key: string, max: number) => {
    const n = value[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max) problems.push(`${key} must be an integer from 1 to ${max}`);
  };
  positive('requests', 1_000_000);
  positive('per', 86_400);
  if (value.by !== 'caller' && value.by !== 'ip') problems.push('by must be "caller" or "ip"');
  const extra = Object.keys(value).filter((k) => !['requests', 'per', 'by'].includes(k));
  if (extra.length > 0) problems.push(`unknown field(s): ${extra.join(', ')}`);
  if (problems.length > 0) throw new Error(`${EXTENSION} at ${where}: ${problems.join('; ')}.`);
  return Object.freeze({ name, requests: value.requests as number, per: value.per as number, by: value.by as LimitBy });
}

const operationAt = (doc: OpenApiDocument, path: string, method: string) => doc.paths?.[path]?.[method] ?? {};

/** The policy of every limited operation, by operationId; throws on a bad extension or a missing 429. */
export function ratePolicies(contract: Contract): ReadonlyMap<string, RatePolicy> {
  const doc = contract.document;
  const root = doc[EXTENSION] === undefined ? undefined : parsePolicy(doc[EXTENSION], 'default', 'the document root');
  const policies = new Map<string, RatePolicy>();
  const undeclared: string[] = [];
  for (const op of contract.operations) {
    const operation = operationAt(doc, op.path, op.method);
    const own = operation[EXTENSION];
    const policy = own === undefined ? root : parsePolicy(own, op.operationId, `${op.method.toUpperCase()} ${op.path}`);
    if (!policy) continue;
    if (operation.responses?.['429'] === undefined && operation.responses?.['4XX'] === undefined) undeclared.push(op.operationId);
    policies.set(op.operationId, policy);
  }
  if (undeclared.length > 0) {
    throw new Error(`Rate-limited operations must declare a 429 response (${EXTENSION}); missing on: ${undeclared.join(', ')}`);
  }
  return policies;
}
