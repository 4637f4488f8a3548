/** Mints test JWTs from secrets and key pairs generated for this test run (never a committed key). */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload, type JWTHeaderParameters } from 'jose';

/** The HS256 secret the test apps are configured with; new each run. */
export const TEST_JWT_SECRET = randomBytes(48).toString('base64url');

/** Signs an HS256 token for `sub` that expires in an hour, with any claims overridden. */
export async function mintToken(sub: string, claims: JWTPayload = {}, secret: string = TEST_JWT_SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub, iat: now, exp: now + 3600, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

/** An asymmetric signing key and the public JWK a JWKS publishes for it. */
export interface TestSigningKey {
  readonly alg: 'RS256' | 'ES256' | 'EdDSA';
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly jwk: JWK;
}

/** Generates a key pair for `alg` whose public JWK carries `kid`, `alg` and `use: sig`. */
export async function generateSigningKey(alg: TestSigningKey['alg'], kid: string = `${alg}-${randomBytes(4).toString('hex')}`): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicKey, jwk };
}

/** Signs a token with an asymmetric key: `kid` and `alg` from the key unless the header overrides them. */
export async function mintSigned(key: TestSigningKey, claims: JWTPayload, header: Partial<JWTHeaderParameters> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
}

/** Encodes a JSON value as one base64url JWT segment (for hand-made, unsigned tokens). */
export const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
