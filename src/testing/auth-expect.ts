/** Assertions for the 401 answers of the bearer security handler (see docs/auth.md). */
import { expect } from 'vitest';
import { ApiError } from '../errors.js';

/** The WWW-Authenticate challenge for a token refused with `category`. */
export const invalidTokenChallenge = (category: string) => `Bearer realm="api", error="invalid_token", error_description="${category}"`;

/** Asserts that a verification promise fails with the 401 ApiError for `category`. */
export async function expectInvalidToken(verification: Promise<unknown>, category: string): Promise<void> {
  const error = await verification.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApiError);
  const apiError = error as ApiError;
  expect({ status: apiError.status, detail: apiError.detail, challenge: apiError.headers['WWW-Authenticate'] }).toEqual({
    status: 401,
    detail: `The bearer token was rejected: ${category}.`,
    challenge: invalidTokenChallenge(category),
  });
}
