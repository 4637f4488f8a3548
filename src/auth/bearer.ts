/**
 * The security handler for `http`/`bearer` schemes (components.securitySchemes.bearerAuth):
 * reads `Authorization: Bearer <jwt>` and verifies it.
 */
import type { IncomingMessage } from 'node:http';
import { authenticationError } from '../errors.js';
import type { TokenVerifier, VerifiedCaller } from './verifier.js';

/**
 * A security handler: establishes the caller for one scheme or throws (or rejects with) a 401/403
 * ApiError. It may answer without a promise when it needs no I/O, as a cached token does.
 */
export type SecurityHandler = (req: IncomingMessage, scopes: readonly string[]) => VerifiedCaller | Promise<VerifiedCaller>;

/** Creates the bearer-token security handler; a token in the verified-token cache is answered at once. */
export function bearerAuth(verify: TokenVerifier): SecurityHandler {
  return function bearerAuthHandler(req) {
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === '') throw authenticationError('Bearer token required.');
    const match = /^Bearer +([^ ]+) *$/i.exec(header);
    if (!match?.[1]) throw authenticationError('The Authorization header must be "Bearer <token>".');
    return verify.cached(match[1]) ?? verify(match[1]);
  };
}
