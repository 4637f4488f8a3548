/**
 * The verifier on its own, with a clock the test moves: what a repeated token costs (the cache)
 * and which claims decide, at which instant.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { createLogger } from '../logger.js';
import { expectInvalidToken } from '../testing/auth-expect.js';
import { mintToken, TEST_JWT_SECRET } from '../testing/tokens.js';
import { createTokenVerifier, type VerifierOptions } from './verifier.js';

const T0 = Math.floor(Date.now() / 1000);
const clockAt = (state: { seconds: number }) => () => state.seconds * 1000;
const verifierFor = (env: Record<string, string>, options: VerifierOptions) =>
  createTokenVerifier(loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, ...env }).jwt, createLogger('silent'), options);

describe('verified-token cache', () => {
  it('answers a repeated token from the cache: the very same caller object', async () => {
    const verify = await verifierFor({}, {});
    const token = await mintToken('user-cache');
    const first = await verify(token);
    expect(await verify(token)).toBe(first);
    expect(await verify(await mintToken('user-cache', { jti: 'other' }))).not.toBe(first);
  });

  it('answers cached() without a promise only for a token already verified and not expired', async () => {
    const time = { seconds: T0 };
    const verify = await verifierFor({ JWT_CLOCK_TOLERANCE: '0' }, { clock: clockAt(time) });
    const token = await mintToken('user-peek', { iat: T0, exp: T0 + 60 });
    expect(verify.cached(token)).toBeUndefined();
    const first = await verify(token);
    expect(verify.cached(token)).toBe(first);
    time.seconds = T0 + 60;
    expect(verify.cached(token)).toBeUndefined();
  });

  it('refuses a cached token once it has expired', async () => {
    const time = { seconds: T0 };
    const verify = await verifierFor({ JWT_CLOCK_TOLERANCE: '0' }, { clock: clockAt(time) });
    const token = await mintToken('user-exp', { iat: T0, exp: T0 + 60 });
    expect(await verify(token)).toMatchObject({ userId: 'user-exp', scopes: [] });
    time.seconds = T0 + 60;
    await expectInvalidToken(verify(token), 'expired');
  });

  it('re-verifies after the configured maximum age, so a long-lived token is still checked again', async () => {
    const time = { seconds: T0 };
    const verify = await verifierFor({}, { clock: clockAt(time), cache: { maxAgeMs: 10_000 } });
    const token = await mintToken('user-long', { iat: T0, exp: T0 + 86_400 });
    const first = await verify(token);
    time.seconds = T0 + 9;
    expect(await verify(token)).toBe(first);
    time.seconds = T0 + 10;
    const again = await verify(token);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });

  it('takes its size and maximum age from JWT_CACHE_SIZE and JWT_CACHE_MAX_AGE', async () => {
    const off = await verifierFor({ JWT_CACHE_SIZE: '0' }, {});
    const token = await mintToken('user-config');
    expect(await off(token)).not.toBe(await off(token));
    const time = { seconds: T0 };
    const short = await verifierFor({ JWT_CACHE_MAX_AGE: '10' }, { clock: clockAt(time) });
    const long = await mintToken('user-config', { iat: T0, exp: T0 + 3600 });
    const first = await short(long);
    time.seconds = T0 + 9;
    expect(short.cached(long)).toBe(first);
    time.seconds = T0 + 10;
    expect(short.cached(long)).toBeUndefined();
  });

  it('does not cache at all with maxEntries 0', async () => {
    const verify = await verifierFor({}, { cache: { maxEntries: 0 } });
    const token = await mintToken('user-nocache');
    expect(await verify(token)).not.toBe(await verify(token));
  });
});

describe('clock tolerance (JWT_CLOCK_TOLERANCE=5)', () => {
  const at = async (seconds: number, claims: Record<string, number>) => {
    const verify = await verifierFor({ JWT_CLOCK_TOLERANCE: '5' }, { clock: clockAt({ seconds }) });
    return verify(await mintToken('user-skew', claims));
  };

  it('accepts a token up to 5 s past exp and refuses it after', async () => {
    await expect(at(T0 + 64, { iat: T0, exp: T0 + 60 })).resolves.toMatchObject({ userId: 'user-skew' });
    await expectInvalidToken(at(T0 + 65, { iat: T0, exp: T0 + 60 }), 'expired');
  });

  it('accepts nbf and iat up to 5 s ahead and refuses them beyond', async () => {
    await expect(at(T0, { nbf: T0 + 5, iat: T0 + 5, exp: T0 + 60 })).resolves.toMatchObject({ userId: 'user-skew' });
    await expectInvalidToken(at(T0, { nbf: T0 + 6, iat: T0, exp: T0 + 60 }), 'not yet valid');
    await expectInvalidToken(at(T0, { iat: T0 + 6, exp: T0 + 60 }), 'not yet valid');
  });
});

describe('scopes', () => {
  it('reads scope (space separated) and scp (array)', async () => {
    const verify = await verifierFor({}, {});
    expect((await verify(await mintToken('u', { scope: 'tasks:read  tasks:write' }))).scopes).toEqual(['tasks:read', 'tasks:write']);
    expect((await verify(await mintToken('u', { scp: ['tasks:read', 7] as never }))).scopes).toEqual(['tasks:read']);
  });
});
