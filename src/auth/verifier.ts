/**
 * Verifies bearer JWTs with jose against keys imported once at start-up (HS256 from JWT_SECRET)
 * and checks the claims this API relies on: exp required, nbf/iat honoured with the configured
 * tolerance, iss/aud when configured, sub a non-empty string.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../config.js';
import { categorize, invalidToken } from './token-errors.js';

/** Who a verified token speaks for. */
export interface VerifiedCaller {
  readonly userId: string;
  readonly scopes: readonly string[];
}

/** Verifies one compact JWT; throws a 401 ApiError naming the failed category. */
export type TokenVerifier = (token: string) => Promise<VerifiedCaller>;

const MAX_TOKEN_LENGTH = 8192;
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function scopesOf(payload: JWTPayload): string[] {
  const scope = payload.scope ?? payload.scp;
  if (typeof scope === 'string') return scope.split(' ').filter((s) => s !== '');
  if (Array.isArray(scope)) return scope.filter((s): s is string => typeof s === 'string');
  return [];
}

/** Creates the verifier for the configured key sources. */
export function createVerifier(config: Config['jwt']): TokenVerifier {
  const key: KeyObject = createSecretKey(Buffer.from(config.secret, 'utf8'));
  const options = {
    algorithms: ['HS256'],
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: config.clockTolerance,
    requiredClaims: ['exp', 'sub'],
  };
  return async function verifyToken(token) {
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWT.test(token)) throw invalidToken('malformed');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, options));
    } catch (error) {
      throw invalidToken(categorize(error));
    }
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + config.clockTolerance) {
      throw invalidToken('not yet valid');
    }
    if (typeof payload.sub !== 'string' || payload.sub.trim() === '' || payload.sub.length > 255) throw invalidToken('bad claims');
    return { userId: payload.sub, scopes: scopesOf(payload) };
  };
}
