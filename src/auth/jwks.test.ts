/**
 * The JWKS key source through the real verifier and a JWKS served on 127.0.0.1: start-up fetch
 * and its failures, refetch on an unknown kid with a cooldown, outages, and what is never used.
 */
import { exportJWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { createLogger } from '../logger.js';
import { expectInvalidToken } from '../testing/auth-expect.js';
import { startJwksServer, type TestJwksServer } from '../testing/jwks-server.js';
import { generateSigningKey, mintSigned, mintToken, TEST_JWT_SECRET } from '../testing/tokens.js';
import { createTokenVerifier, type VerifierOptions } from './verifier.js';

const log = createLogger('silent');
const now = () => Math.floor(Date.now() / 1000);
const claims = (sub = 'user-jwks') => ({ sub, iat: now(), exp: now() + 600 });
const servers: TestJwksServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function jwksServer(...args: Parameters<typeof startJwksServer>) {
  const server = await startJwksServer(...args);
  servers.push(server);
  return server;
}

const verifierFor = (env: Record<string, string | undefined>, options?: VerifierOptions) =>
  createTokenVerifier(loadConfig({ NODE_ENV: 'test', ...env }).jwt, log, options);

describe('start-up', () => {
  it('refuses to start, naming the URL and the reason, when the JWKS is unreachable and it is the only key source', async () => {
    const gone = await startJwksServer();
    await gone.close();
    await expect(verifierFor({ JWKS_URL: gone.url })).rejects.toThrow(
      `JWKS_URL ${gone.url} could not be fetched (ECONNREFUSED) and no other key source is configured; refusing to start.`,
    );
  });

  it('refuses to start when the JWKS answers with an error status', async () => {
    const down = await jwksServer();
    down.setDown(true);
    await expect(verifierFor({ JWKS_URL: down.url })).rejects.toThrow(`JWKS_URL ${down.url} could not be fetched (HTTP 503)`);
  });

  it('refuses to start when the answer is not a key set', async () => {
    const wrong = await jwksServer();
    await expect(verifierFor({ JWKS_URL: wrong.url.replace('jwks.json', 'other.json') })).rejects.toThrow('(HTTP 404)');
  });

  it('starts on JWT_SECRET alone when the JWKS is down, and picks the JWKS keys up once it answers', async () => {
    const key = await generateSigningKey('ES256');
    const jwks = await jwksServer([key.jwk]);
    jwks.setDown(true);
    const verify = await verifierFor({ JWKS_URL: jwks.url, JWT_SECRET: TEST_JWT_SECRET }, { jwks: { cooldownMs: 0 } });
    expect(await verify(await mintToken('user-hs'))).toMatchObject({ userId: 'user-hs', scopes: [] });
    await expectInvalidToken(verify(await mintSigned(key, claims())), 'unknown key');
    jwks.setDown(false);
    expect(await verify(await mintSigned(key, claims()))).toMatchObject({ userId: 'user-jwks', scopes: [] });
  });
});

describe('refetching', () => {
  it('does not refetch for an unknown kid within JWKS_COOLDOWN', async () => {
    const [first, second] = await Promise.all([generateSigningKey('EdDSA'), generateSigningKey('EdDSA')]);
    const jwks = await jwksServer([first.jwk]);
    const verify = await verifierFor({ JWKS_URL: jwks.url, JWKS_COOLDOWN: '60' });
    jwks.setKeys([first.jwk, second.jwk]);
    await expectInvalidToken(verify(await mintSigned(second, claims())), 'unknown key');
    await expectInvalidToken(verify(await mintSigned(second, claims())), 'unknown key');
    expect(jwks.hits).toBe(1);
  });

  it('refetches once for many concurrent tokens with the same new kid', async () => {
    const [first, second] = await Promise.all([generateSigningKey('ES256'), generateSigningKey('ES256')]);
    const jwks = await jwksServer([first.jwk]);
    const verify = await verifierFor({ JWKS_URL: jwks.url }, { jwks: { cooldownMs: 0 } });
    jwks.setKeys([first.jwk, second.jwk]);
    const tokens = await Promise.all(Array.from({ length: 8 }, (_, i) => mintSigned(second, claims(`user-${i}`))));
    const callers = await Promise.all(tokens.map((t) => verify(t)));
    expect(callers.map((c) => c.userId)).toEqual(tokens.map((_, i) => `user-${i}`));
    expect(jwks.hits).toBe(2);
  });

  it('keeps verifying with the cached keys through an outage, and fails closed for keys it never saw', async () => {
    const [known, unseen] = await Promise.all([generateSigningKey('RS256'), generateSigningKey('RS256')]);
    const jwks = await jwksServer([known.jwk]);
    const verify = await verifierFor({ JWKS_URL: jwks.url }, { jwks: { cooldownMs: 0, maxAgeMs: 0 } });
    jwks.setDown(true);
    jwks.setKeys([known.jwk, unseen.jwk]);
    expect(await verify(await mintSigned(known, claims('user-outage')))).toMatchObject({ userId: 'user-outage', scopes: [] });
    await expectInvalidToken(verify(await mintSigned(unseen, claims())), 'unknown key');
    expect(jwks.hits).toBeGreaterThan(1);
  });

  it('ignores a published key that carries private material', async () => {
    const key = await generateSigningKey('ES256');
    const leaked = { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: 'ES256' };
    const jwks = await jwksServer([leaked]);
    const verify = await verifierFor({ JWKS_URL: jwks.url });
    await expectInvalidToken(verify(await mintSigned(key, claims())), 'unknown key');
  });
});
