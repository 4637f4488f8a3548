/**
 * The authenticate stage's check of the identity the gateway forwards as headers: the verified
 * `sub` (UPSTREAM_USER_HEADER) and the claims of UPSTREAM_CLAIM_HEADERS. A value with a control
 * character (C0, DEL, C1) or a lone surrogate cannot be a header value in any encoding a backend
 * would read the same way, so the token is refused 401 before anything is sent; other non-ASCII
 * text is forwarded percent-encoded (src/gateway/identity-headers.ts). Checked for every
 * operation: a `sub` with a newline is as unsafe in a handler's log line or a database key.
 */
import type { VerifiedCaller } from '../auth/verifier.js';
import { authenticationError } from '../errors.js';
import { isWellFormed } from './well-formed.js';

/** C0 controls, DEL and C1 controls. */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** The text a claim is forwarded as: a string as it is, anything else as JSON. */
export const claimText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Why a forwarded value cannot be sent, or undefined when it can. */
const unsendable = (text: string): string | undefined =>
  CONTROL_CHARACTER.test(text) ? 'holds a control character' : isWellFormed(text) ? undefined : 'holds a lone UTF-16 surrogate';

/** Throws 401 authentication_error when the caller's sub or a forwarded claim cannot travel as a header value. */
export function refuseUnsendableIdentity(caller: VerifiedCaller | undefined, claimNames: readonly string[]): void {
  if (caller === undefined) return;
  const problems: string[] = [];
  const subProblem = unsendable(caller.userId);
  if (subProblem) problems.push(`its sub ${subProblem}`);
  for (const claim of claimNames) {
    const value = caller.claims?.[claim];
    if (value === undefined || value === null) continue;
    const problem = unsendable(claimText(value));
    if (problem) problems.push(`its ${claim} claim ${problem}`);
  }
  if (problems.length === 0) return;
  throw authenticationError(
    `The bearer token was rejected: ${problems.join('; ')}, which cannot be forwarded as a header.`,
    'Bearer realm="api", error="invalid_token", error_description="bad claims"',
  );
}
