/**
 * Turns jose's error codes into the categories a client may learn (RFC 6750 invalid_token with
 * a short description); jose's own messages never leave the server. docs/auth.md lists them.
 */
import { errors } from 'jose';
import { ApiError, authenticationError } from '../errors.js';

/** Why a token was refused, as said to the client. */
export type RejectionCategory = 'expired' | 'not yet valid' | 'bad signature' | 'bad claims' | 'malformed' | 'unsupported algorithm' | 'unknown key';

/** A 401 for a token that failed verification, with the category in WWW-Authenticate. */
export function invalidToken(category: RejectionCategory): ApiError {
  return authenticationError(
    `The bearer token was rejected: ${category}.`,
    `Bearer realm="api", error="invalid_token", error_description="${category}"`,
  );
}

/** Maps any verification failure to its category; anything unrecognised is "malformed". */
export function categorize(error: unknown): RejectionCategory {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    const timing = (error.claim === 'nbf' || error.claim === 'iat') && error.reason === 'check_failed';
    return timing ? 'not yet valid' : 'bad claims';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'unsupported algorithm';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return 'unknown key';
  return 'malformed';
}
