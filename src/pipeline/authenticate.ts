/**
 * Stage 5: runs the operation's security requirements from the spec before anything about the
 * request is validated: alternatives are OR, the schemes within one are AND, `security: []` is
 * public. Scopes the requirement names must all be in the token (403 otherwise).
 */
import type { RequestHandler } from 'express';
import type { SecurityHandler } from '../auth/bearer.js';
import type { VerifiedCaller } from '../auth/verifier.js';
import type { Contract, SecurityRequirement } from '../contract/spec.js';
import { ApiError } from '../errors.js';
import { stateOf } from './state.js';

/** Security handlers by securitySchemes name. */
export type SecurityHandlers = Readonly<Record<string, SecurityHandler>>;

/** Throws at start-up when the spec uses a scheme no handler is registered for. */
export function assertSchemesCovered(contract: Contract, handlers: SecurityHandlers): void {
  const used = new Set(contract.operations.flatMap((op) => op.security.flatMap((req) => Object.keys(req))));
  const missing = [...used].filter((name) => !(name in handlers));
  if (missing.length > 0) throw new Error(`No security handler registered for scheme(s): ${missing.join(', ')}`);
}

const insufficientScope = (missing: readonly string[]) =>
  new ApiError(403, 'authorization_error', `The token lacks the scope(s) this operation needs: ${missing.join(', ')}.`, {
    'WWW-Authenticate': `Bearer realm="api", error="insufficient_scope", scope="${missing.join(' ')}"`,
  });

async function satisfy(requirement: SecurityRequirement, handlers: SecurityHandlers, req: Parameters<RequestHandler>[0]) {
  let caller: VerifiedCaller | undefined;
  for (const [scheme, scopes] of Object.entries(requirement)) {
    const verified = await handlers[scheme]!(req, scopes);
    const missing = scopes.filter((s) => !verified.scopes.includes(s));
    if (missing.length > 0) throw insufficientScope(missing);
    caller ??= verified;
  }
  return caller;
}

/** Creates the authenticate stage. */
export function authenticate(contract: Contract, handlers: SecurityHandlers): RequestHandler {
  assertSchemesCovered(contract, handlers);
  return async function authenticateStage(req, res, next) {
    const state = stateOf(res);
    const requirements = state.operation?.security ?? [];
    if (requirements.length === 0) return next();
    let firstFailure: unknown;
    for (const requirement of requirements) {
      try {
        state.userId = (await satisfy(requirement, handlers, req))?.userId;
        return next();
      } catch (error) {
        firstFailure ??= error;
      }
    }
    next(firstFailure);
  };
}
