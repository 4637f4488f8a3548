/**
 * The caller's id is the token's `sub`, stored and compared exactly. A `sub` no database text can
 * hold exactly — lone UTF-16 surrogates (every driver would store U+FFFD, so "v\ud800" and
 * "v\udfff" would share one owner), U+0000, payload bytes that are not UTF-8 — is a 401 with the
 * uniform body; well-formed subjects that differ in any code point never see each other's tasks.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidTokenChallenge } from '../testing/auth-expect.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { mintToken, segment, TEST_JWT_SECRET } from '../testing/tokens.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const exp = () => Math.floor(Date.now() / 1000) + 600;

/** An HS256 token over exactly these payload bytes (SignJWT can only sign well-formed JSON text). */
function signedBytes(payload: Buffer): string {
  const signingInput = `${segment({ alg: 'HS256', typ: 'JWT' })}.${payload.toString('base64url')}`;
  return `${signingInput}.${createHmac('sha256', TEST_JWT_SECRET).update(signingInput).digest('base64url')}`;
}

const create = (token: string, title: string) =>
  server.request('/api/tasks', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) });

async function expectRefused(token: string, category: string) {
  for (const res of [await server.request('/api/tasks', { token }), await create(token, 'never stored')]) {
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(invalidTokenChallenge(category));
    expect(await res.json()).toEqual({
      detail: `The bearer token was rejected: ${category}.`,
      status_code: 401,
      error_type: 'authentication_error',
      request_id: expect.any(String),
    });
  }
}

describe('a sub that is not well-formed text', () => {
  it('is refused when it holds a lone surrogate, high or low, anywhere', async () => {
    for (const sub of ['v\ud800', 'v\udfff', '\udc00v', 'a\ud83d']) await expectRefused(await mintToken(sub), 'bad claims');
  });

  it('is refused when it holds U+0000', async () => {
    await expectRefused(await mintToken('v\u0000'), 'bad claims');
  });

  it('is refused when the payload bytes are not UTF-8, so two such tokens cannot collapse into U+FFFD', async () => {
    for (const bytes of [[0xed, 0xa0, 0x80], [0xff], [0xc3]]) {
      const payload = Buffer.concat([Buffer.from('{"sub":"v'), Buffer.from(bytes), Buffer.from(`","exp":${exp()}}`)]);
      await expectRefused(signedBytes(payload), 'malformed');
    }
  });
});

describe('well-formed subjects', () => {
  const SUBJECTS = ['v\ufffd', 'v\u{1F600}', 'v\u{1F601}', '\u00e9', 'e\u0301', 'v', 'v ', 'V'];

  it('are stored exactly and never see each other’s tasks', async () => {
    const tokens = await Promise.all(SUBJECTS.map((sub) => mintToken(sub)));
    const ids: string[] = [];
    for (const [i, token] of tokens.entries()) {
      const res = await create(token, `task of subject ${i}`);
      expect(res.status).toBe(201);
      ids.push((await res.json()).id);
    }
    for (const [i, token] of tokens.entries()) {
      const page = await (await server.request('/api/tasks', { token })).json();
      expect(page.items.map((t: { title: string }) => t.title)).toEqual([`task of subject ${i}`]);
      for (const [j, id] of ids.entries()) expect((await server.request(`/api/tasks/${id}`, { token })).status).toBe(i === j ? 200 : 404);
      const rows = await server.db.query<{ user_id: string }>('SELECT user_id FROM tasks WHERE id = $1', [ids[i]]);
      expect(rows.map((r) => r.user_id)).toEqual([SUBJECTS[i]]);
    }
  });
});
