/**
 * What a contract-breaking upstream answer does, per operation: the operation's
 * `x-specgate-response-validation` (enforce, report or off), else UPSTREAM_RESPONSE_VALIDATION
 * (report by default in gateway mode). A reported violation is named to the client outside
 * production in the X-Specgate-Contract-Violation header, as Prism's validation proxy does.
 */
import type { ResponseValidation } from '../config/upstream.js';
import type { Contract } from '../contract/spec.js';

/** The operation extension that overrides UPSTREAM_RESPONSE_VALIDATION for one operation. */
export const RESPONSE_VALIDATION_EXTENSION = 'x-specgate-response-validation';
/** The response header naming a reported violation, as CORS exposes it. */
export const CONTRACT_VIOLATION_HEADER_NAME = 'X-Specgate-Contract-Violation';
/** The same, lower case, as answer headers are kept. */
export const CONTRACT_VIOLATION_HEADER = CONTRACT_VIOLATION_HEADER_NAME.toLowerCase();

const MODES: readonly string[] = ['enforce', 'report', 'off'];
const MAX_HEADER = 400;

/** Each operation's mode, and whether a reported violation is announced in a header. */
export interface ResponseValidationModes {
  of(operationId: string): ResponseValidation;
  readonly announce: boolean;
  /** Whether any operation checks its answers at all. */
  readonly any: boolean;
}

/** The modes of `contract`'s operations under the global `mode`; throws on an extension value that is not a mode. */
export function responseValidationModes(contract: Contract, mode: ResponseValidation, production: boolean): ResponseValidationModes {
  const own = new Map<string, ResponseValidation>();
  for (const op of contract.operations) {
    const value = contract.document.paths[op.path]?.[op.method]?.[RESPONSE_VALIDATION_EXTENSION];
    if (value === undefined) continue;
    if (!MODES.includes(value)) throw new Error(`${op.operationId}: ${RESPONSE_VALIDATION_EXTENSION} must be enforce, report or off (got ${JSON.stringify(value)}).`);
    own.set(op.operationId, value as ResponseValidation);
  }
  return {
    of: (operationId) => own.get(operationId) ?? mode,
    announce: !production,
    any: mode !== 'off' || [...own.values()].some((m) => m !== 'off'),
  };
}

/** The header value: `<operationId> <status> <violation>`, printable ASCII only, cut to 400 characters. */
export function violationHeader(operationId: string, status: number, violation: string): string {
  const text = `${operationId} ${status} ${violation}`.replace(/[^\x20-\x7e]/g, '?');
  return text.slice(0, MAX_HEADER);
}
