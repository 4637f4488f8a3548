/**
 * The adversarial token suite, over HTTP against the real app: HS256 from JWT_SECRET and
 * RS256/ES256/EdDSA from a JWKS served on 127.0.0.1 are accepted; every forged, stale, mis-aimed
 * or malformed token is a 401 with the uniform body, its category and the CORS headers; a
 * rotated-out key stops verifying without a restart.
 */
import { CompactSign, exportSPKI, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessApp, type InProcessApp } from '../testing/in-process.js';
import { invalidTokenChallenge } from '../testing/auth-expect.js';
import { startJwksServer, type TestJwksServer } from '../testing/jwks-server.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { generateSigningKey, mintSigned, mintToken, segment, TEST_JWT_SECRET, type TestSigningKey } from '../testing/tokens.js';

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'specgate';
const SECRET = new TextEncoder().encode(TEST_JWT_SECRET);
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({ sub: 'user-a', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 600, ...extra });
const hs256 = (extra: Record<string, unknown> = {}, secret = TEST_JWT_SECRET) => mintToken('user-a', claims(extra), secret);
const hmac = (alg: string, key: Uint8Array, payload = claims()) => new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);

let jwks: TestJwksServer;
let rotating: TestJwksServer;
let attacker: TestJwksServer;
let server: InProcessApp;
let jwksOnly: InProcessApp;
let rsa: TestSigningKey;
let ec: TestSigningKey;
let ed: TestSigningKey;
let forger: TestSigningKey;
let oldKey: TestSigningKey;
let newKey: TestSigningKey;

beforeAll(async () => {
  [rsa, ec, ed, forger, oldKey, newKey] = await Promise.all([
    generateSigningKey('RS256', 'rsa-1'),
    generateSigningKey('ES256', 'ec-1'),
    generateSigningKey('EdDSA', 'ed-1'),
    generateSigningKey('RS256', 'rsa-1'),
    generateSigningKey('ES256', 'key-2026-10'),
    generateSigningKey('ES256', 'key-2026-11'),
  ]);
  // The EdDSA key is published the way Better Auth's JWKS plugin does: no alg, no use.
  jwks = await startJwksServer([rsa.jwk, ec.jwk, { ...ed.jwk, alg: undefined, use: undefined }]);
  rotating = await startJwksServer([oldKey.jwk]);
  attacker = await startJwksServer([forger.jwk]);
  const claimChecks = { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE };
  const auth = { jwks: { cooldownMs: 0 } };
  server = await inProcessApp({ env: { JWKS_URL: jwks.url, ...claimChecks }, auth });
  jwksOnly = await inProcessApp({ env: { JWKS_URL: rotating.url, JWT_SECRET: undefined, ...claimChecks }, auth });
});
afterAll(async () => {
  await Promise.all([server.close(), jwksOnly.close()]);
  await Promise.all([jwks.close(), rotating.close(), attacker.close()]);
});

const get = (app: InProcessApp, authorization?: string) =>
  app.request('/api/tasks', { headers: authorization === undefined ? {} : { authorization } });

/** Asserts the uniform 401 for a refused token or header (category undefined: no/malformed header). */
async function expectRejected(res: Response, category: string | undefined, detail?: string) {
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  expect(res.headers.get('www-authenticate')).toBe(category === undefined ? 'Bearer realm="api"' : invalidTokenChallenge(category));
  expect(await res.json()).toEqual({
    detail: detail ?? `The bearer token was rejected: ${category}.`,
    status_code: 401,
    error_type: 'authentication_error',
    request_id: res.headers.get('x-request-id'),
  });
}

describe('accepted tokens', () => {
  it.each([
    ['HS256 from JWT_SECRET', () => hs256()],
    ['RS256 from the JWKS', () => mintSigned(rsa, claims())],
    ['ES256 from the JWKS', () => mintSigned(ec, claims())],
    ['EdDSA from the JWKS (a key published without alg or use)', () => mintSigned(ed, claims())],
    ['a token without kid when one JWKS key fits its algorithm', () => mintSigned(ec, claims(), { kid: undefined })],
  ])('%s → 200', async (_name, mint) => {
    const res = await get(server, `Bearer ${await mint()}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [], next_cursor: null });
  });

  it('takes the caller from sub: a task created with an EdDSA token is listed for the HS256 token of the same sub', async () => {
    const created = await server.request('/api/tasks', {
      method: 'POST',
      token: await mintSigned(ed, claims({ sub: 'user-same' })),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'signed with EdDSA' }),
    });
    expect(created.status).toBe(201);
    const listed = await (await server.request('/api/tasks', { token: await hs256({ sub: 'user-same' }) })).json();
    expect(listed.items.map((t: { title: string }) => t.title)).toEqual(['signed with EdDSA']);
  });
});

interface Rejection {
  name: string;
  authorization: () => Promise<string>;
  /** The RFC 6750 error_description, or undefined for a missing/malformed header. */
  category?: string;
  detail?: string;
  app?: () => InProcessApp;
}

const bearer = (mint: () => Promise<string>) => async () => `Bearer ${await mint()}`;
const MALFORMED_HEADER = 'The Authorization header must be "Bearer <token>".';

const rejections: Rejection[] = [
  { name: 'no Authorization header', authorization: async () => '', detail: 'Bearer token required.' },
  { name: '"Bearer" missing before the token', authorization: async () => hs256(), detail: MALFORMED_HEADER },
  { name: '"Bearer" misspelled', authorization: async () => `Beaver ${await hs256()}`, detail: MALFORMED_HEADER },
  { name: 'Basic credentials', authorization: async () => 'Basic dXNlcjpwYXNz', detail: MALFORMED_HEADER },
  { name: '"Bearer" with no token', authorization: async () => 'Bearer ', detail: MALFORMED_HEADER },
  { name: 'two tokens', authorization: async () => `Bearer ${await hs256()} ${await hs256()}`, detail: MALFORMED_HEADER },
  { name: 'expired', authorization: bearer(() => hs256({ iat: now() - 7200, exp: now() - 3600 })), category: 'expired' },
  { name: 'expired (RS256)', authorization: bearer(() => mintSigned(rsa, claims({ exp: now() - 60 }))), category: 'expired' },
  { name: 'nbf in the future', authorization: bearer(() => hs256({ nbf: now() + 600 })), category: 'not yet valid' },
  { name: 'iat in the future', authorization: bearer(() => hs256({ iat: now() + 600 })), category: 'not yet valid' },
  { name: 'no exp', authorization: bearer(() => hs256({ exp: undefined })), category: 'bad claims' },
  { name: 'exp not a number', authorization: bearer(() => hs256({ exp: 'tomorrow' })), category: 'bad claims' },
  { name: 'wrong signature (another secret)', authorization: bearer(() => hs256({}, 'another-secret-that-is-long-enough-000')), category: 'bad signature' },
  { name: 'wrong signature (another RSA key with our kid)', authorization: bearer(() => mintSigned(forger, claims())), category: 'bad signature' },
  {
    name: 'payload changed after signing',
    authorization: bearer(async () => {
      const [h, , s] = (await hs256()).split('.');
      return `${h}.${segment(claims({ sub: 'user-admin' }))}.${s}`;
    }),
    category: 'bad signature',
  },
  { name: 'alg none', authorization: bearer(async () => `${segment({ alg: 'none', typ: 'JWT' })}.${segment(claims())}.`), category: 'unsupported algorithm' },
  { name: 'alg None', authorization: bearer(async () => `${segment({ alg: 'None' })}.${segment(claims())}.`), category: 'unsupported algorithm' },
  {
    name: 'HS256 signed with the RSA public key (both sources configured)',
    authorization: bearer(async () => hmac('HS256', new TextEncoder().encode(await exportSPKI(rsa.publicKey)))),
    category: 'bad signature',
  },
  {
    name: 'HS256 signed with the RSA public key (JWKS only)',
    authorization: bearer(async () => hmac('HS256', new TextEncoder().encode(await exportSPKI(rsa.publicKey)))),
    category: 'unsupported algorithm',
    app: () => jwksOnly,
  },
  { name: 'HS512 with the right secret when only HS256 is allowed', authorization: bearer(() => hmac('HS512', SECRET)), category: 'unsupported algorithm' },
  { name: 'RS512 (not an accepted algorithm)', authorization: bearer(async () => `${segment({ alg: 'RS512', kid: 'rsa-1' })}.${segment(claims())}.c2ln`), category: 'unsupported algorithm' },
  { name: 'alg missing', authorization: bearer(async () => `${segment({ typ: 'JWT' })}.${segment(claims())}.c2ln`), category: 'unsupported algorithm' },
  { name: 'ES256 token naming the RSA key id (key confusion)', authorization: bearer(() => mintSigned(ec, claims(), { alg: 'ES256', kid: 'rsa-1' })), category: 'unknown key' },
  { name: 'wrong iss', authorization: bearer(() => hs256({ iss: 'https://evil.example' })), category: 'bad claims' },
  { name: 'no iss', authorization: bearer(() => mintSigned(rsa, claims({ iss: undefined }))), category: 'bad claims' },
  { name: 'wrong aud', authorization: bearer(() => mintSigned(ec, claims({ aud: 'another-api' }))), category: 'bad claims' },
  { name: 'no sub', authorization: bearer(() => hs256({ sub: undefined })), category: 'bad claims' },
  { name: 'empty sub', authorization: bearer(() => hs256({ sub: ' ' })), category: 'bad claims' },
  { name: 'non-string sub', authorization: bearer(() => hs256({ sub: 42 })), category: 'bad claims' },
  { name: 'unknown kid (after refetching the JWKS)', authorization: bearer(() => mintSigned({ ...forger, kid: 'who-knows' }, claims())), category: 'unknown key' },
  {
    name: 'jwk header carrying the attacker key',
    authorization: bearer(() => mintSigned(forger, claims(), { kid: undefined, jwk: forger.jwk })),
    category: 'unknown key',
  },
  { name: 'jku header pointing at the attacker JWKS', authorization: bearer(() => mintSigned(forger, claims(), { jku: attacker.url })), category: 'unknown key' },
  { name: 'x5u header', authorization: bearer(() => mintSigned(forger, claims(), { x5u: `${attacker.url}.pem` })), category: 'unknown key' },
  { name: 'jku header on an otherwise valid token', authorization: bearer(() => mintSigned(rsa, claims(), { jku: attacker.url })), category: 'unknown key' },
  { name: 'one segment', authorization: async () => 'Bearer abc', category: 'malformed' },
  { name: 'two segments', authorization: bearer(async () => (await hs256()).split('.').slice(0, 2).join('.')), category: 'malformed' },
  { name: 'four segments', authorization: bearer(async () => `${await hs256()}.abc`), category: 'malformed' },
  { name: 'empty payload segment', authorization: bearer(async () => `${segment({ alg: 'HS256' })}..c2ln`), category: 'malformed' },
  { name: 'header not JSON', authorization: bearer(async () => `${Buffer.from('{alg:HS256').toString('base64url')}.${segment(claims())}.c2ln`), category: 'malformed' },
  {
    name: 'payload not JSON (signed with the right secret)',
    authorization: bearer(() => new CompactSign(new TextEncoder().encode('not json')).setProtectedHeader({ alg: 'HS256' }).sign(SECRET)),
    category: 'malformed',
  },
  { name: 'payload a JSON array (signed with the right secret)', authorization: bearer(() => new CompactSign(new TextEncoder().encode('[]')).setProtectedHeader({ alg: 'HS256' }).sign(SECRET)), category: 'malformed' },
  { name: 'a JWE (five segments)', authorization: async () => 'Bearer a.b.c.d.e', category: 'malformed' },
  { name: 'a 16 KB token', authorization: async () => `Bearer ${'a'.repeat(16_384 - 10)}.${'b'.repeat(4)}.c`, category: 'malformed' },
];

describe('rejected tokens: 401, uniform body, WWW-Authenticate with the category, CORS', () => {
  it.each(rejections)('$name', async ({ authorization, category, detail, app }) => {
    const header = await authorization();
    await expectRejected(await get(app?.() ?? server, header === '' ? undefined : header), category, detail);
  });

  it('never fetches a key a token points at', () => {
    expect(attacker.hits).toBe(0);
  });
});

describe('JWKS key rotation without a restart', () => {
  it('accepts the newly published key, then refuses the removed one, even a token verified and cached before', async () => {
    const oldToken = await mintSigned(oldKey, claims());
    expect((await get(jwksOnly, `Bearer ${oldToken}`)).status).toBe(200);
    rotating.setKeys([newKey.jwk]);
    expect((await get(jwksOnly, `Bearer ${await mintSigned(newKey, claims())}`)).status).toBe(200);
    await expectRejected(await get(jwksOnly, `Bearer ${oldToken}`), 'unknown key');
    await expectRejected(await get(jwksOnly, `Bearer ${await mintSigned(oldKey, claims({ sub: 'user-b' }))}`), 'unknown key');
  });
});
