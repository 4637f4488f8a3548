/** Mints test JWTs from a secret generated for this test run (never a committed key). */
import { randomBytes } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';

/** The HS256 secret the test apps are configured with; new each run. */
export const TEST_JWT_SECRET = randomBytes(48).toString('base64url');

/** Signs an HS256 token for `sub` that expires in an hour, with any claims overridden. */
export async function mintToken(sub: string, claims: JWTPayload = {}, secret: string = TEST_JWT_SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub, iat: now, exp: now + 3600, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}
