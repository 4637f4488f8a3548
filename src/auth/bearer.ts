/**
 * The security handler for `http`/`bearer` schemes (components.securitySchemes.bearerAuth):
 * reads `Authorization: Bearer <jwt>` and verifies it.
 */
import type { Request } from 'express';
import { authenticationError } from '../errors.js';
import type { TokenVerifier, VerifiedCaller } from './verifier.js';

/** A security handler: establishes the caller for one scheme or throws a 401/403 ApiError. */
export type SecurityHandler = (req: Request, scopes: readonly string[]) => Promise<VerifiedCaller>;

/** Creates the bearer-token security handler. */
export function bearerAuth(verify: TokenVerifier): SecurityHandler {
  return async function bearerAuthHandler(req) {
    const header = req.get('authorization');
    if (header === undefined || header.trim() === '') throw authenticationError('Bearer token required.');
    const match = /^Bearer +([^ ]+) *$/i.exec(header);
    if (!match?.[1]) throw authenticationError('The Authorization header must be "Bearer <token>".');
    return verify(match[1]);
  };
}
