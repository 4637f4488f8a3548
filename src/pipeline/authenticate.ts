/**
 * The authenticate stage: runs the operation's security requirements from the spec before anything about the
 * request is validated: alternatives are OR, the schemes within one are AND, `security: []` is
 * public. Scopes the requirement names must all be in the token (403 otherwise). A caller whose
 * every scheme answers without a promise (a cached token) passes without one. A `sub` or forwarded
 * claim that cannot be a header value is refused here (src/pipeline/identity-check.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { SecurityHandler } from '../auth/bearer.js';
import type { VerifiedCaller } from '../auth/verifier.js';
import type { Contract } from '../contract/spec.js';
import { insufficientScope } from '../errors.js';
import { refuseUnsendableIdentity } from './identity-check.js';
import type { RequestStage } from './stage.js';
import { stateOf } from './state.js';

/** Security handlers by securitySchemes name. */
export type SecurityHandlers = Readonly<Record<string, SecurityHandler>>;

/** Throws at start-up when the spec uses a scheme no handler is registered for. */
export function assertSchemesCovered(contract: Contract, handlers: SecurityHandlers): void {
  const used = new Set(contract.operations.flatMap((op) => op.security.flatMap((req) => Object.keys(req))));
  const missing = [...used].filter((name) => !(name in handlers));
  if (missing.length > 0) throw new Error(`No security handler registered for scheme(s): ${missing.join(', ')}`);
}

type Maybe<T> = T | Promise<T>;
/** One security requirement as pairs of (handler, scopes), resolved at start-up. */
type Requirement = readonly (readonly [SecurityHandler, readonly string[]])[];

const isPromise = <T>(value: Maybe<T>): value is Promise<T> => value instanceof Promise;

function withScopes(verified: VerifiedCaller, scopes: readonly string[]): VerifiedCaller {
  const missing = scopes.filter((s) => !verified.scopes.includes(s));
  if (missing.length > 0) throw insufficientScope(missing);
  return verified;
}

/** Every scheme of one requirement (AND), from scheme `at` on; the caller is the first scheme's. */
function satisfy(requirement: Requirement, req: IncomingMessage, at = 0, caller?: VerifiedCaller): Maybe<VerifiedCaller | undefined> {
  for (let i = at; i < requirement.length; i++) {
    const [handler, scopes] = requirement[i]!;
    const verified = handler(req, scopes);
    if (isPromise(verified)) return verified.then((v) => satisfy(requirement, req, i + 1, caller ?? withScopes(v, scopes)));
    const checked = withScopes(verified, scopes);
    caller ??= checked;
  }
  return caller;
}

/** The first requirement (OR) the request satisfies, from requirement `at` on; else the first failure. */
function firstSatisfied(requirements: readonly Requirement[], req: IncomingMessage, at: number, firstFailure?: unknown): Maybe<VerifiedCaller | undefined> {
  if (at >= requirements.length) throw firstFailure;
  let result: Maybe<VerifiedCaller | undefined>;
  try {
    result = satisfy(requirements[at]!, req);
  } catch (error) {
    return firstSatisfied(requirements, req, at + 1, firstFailure ?? error);
  }
  if (!isPromise(result)) return result;
  return result.then(undefined, (error: unknown) => firstSatisfied(requirements, req, at + 1, firstFailure ?? error));
}

/** Creates the authenticate stage; `forwardedClaims` are the claims sent upstream as headers (UPSTREAM_CLAIM_HEADERS), checked like the sub. */
export function authenticate(contract: Contract, handlers: SecurityHandlers, forwardedClaims: readonly string[] = []): RequestStage {
  assertSchemesCovered(contract, handlers);
  const plans = new Map(
    contract.operations.map((op) => [op, op.security.map((req): Requirement => Object.entries(req).map(([scheme, scopes]) => [handlers[scheme]!, scopes]))]),
  );
  return function authenticateStage(req, res, next) {
    const state = stateOf(res);
    const requirements = state.operation ? plans.get(state.operation)! : [];
    if (requirements.length === 0) return next();
    let caller: Maybe<VerifiedCaller | undefined>;
    try {
      caller = firstSatisfied(requirements, req, 0);
    } catch (error) {
      return next(error);
    }
    if (!isPromise(caller)) {
      try {
        refuseUnsendableIdentity(caller, forwardedClaims);
      } catch (error) {
        return next(error);
      }
      state.userId = caller?.userId;
      state.claims = caller?.claims;
      return next();
    }
    caller.then(
      (verified) => {
        try {
          refuseUnsendableIdentity(verified, forwardedClaims);
        } catch (error) {
          return next(error);
        }
        state.userId = verified?.userId;
        state.claims = verified?.claims;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
