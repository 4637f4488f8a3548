import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFrom, loadContract } from '../contract/spec.js';
import { inProcessApp, type InProcessApp } from '../testing/in-process.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';

/** openapi.yaml with createTask's budget cut to 3 a minute, so a test spends it in three requests. */
function smallBudget(by: 'caller' | 'ip') {
  const document = structuredClone(loadContract().document);
  document.paths['/api/tasks'].post['x-specgate-rate-limit'] = { requests: 3, per: 60, by };
  return contractFrom(document);
}

let byCaller: InProcessApp;
let byIp: InProcessApp;
let off: InProcessApp;
beforeAll(async () => {
  [byCaller, byIp] = await Promise.all([inProcessApp({ contract: smallBudget('caller') }), inProcessApp({ contract: smallBudget('ip'), env: { TRUST_PROXY: '1' } })]);
  off = await inProcessApp({ contract: smallBudget('caller'), env: { RATE_LIMITS: 'off' } });
});
afterAll(async () => {
  await off.close();
  await Promise.all([byCaller.close(), byIp.close()]);
});

const create = (server: InProcessApp, token: string, headers: Record<string, string> = {}) =>
  server.request('/api/tasks', { method: 'POST', token, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ title: 'limited' }) });

describe('x-specgate-rate-limit by caller', () => {
  it('admits the budget with RateLimit fields counting down, then 429 with Retry-After, all readable cross-origin', async () => {
    const token = await mintToken('user-limit-a');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await create(byCaller, token));
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 429]);
    expect(answers.map((r) => r.headers.get('ratelimit-policy'))).toEqual(Array(4).fill('"createTask";q=3;w=60'));
    // t: seconds until the budget is full again; a slow machine may have let a second pass between requests.
    const fields = answers.map((r) => r.headers.get('ratelimit'));
    [/^"createTask";r=2;t=(20|19)$/, /^"createTask";r=1;t=(40|39|38)$/, /^"createTask";r=0;t=(60|59|58|57)$/, /^"createTask";r=0;t=(60|59|58|57|56)$/].forEach((field, i) =>
      expect(fields[i]).toMatch(field),
    );
    const refused = answers[3]!;
    expect(refused.headers.get('retry-after')).toMatch(/^(20|19|18|17|16)$/);
    expect(await refused.json()).toEqual({
      detail: `Too many requests. Try again in ${refused.headers.get('retry-after')} s.`,
      status_code: 429,
      error_type: 'rate_limited',
      request_id: refused.headers.get('x-request-id'),
    });
    expect(refused.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(refused.headers.get('access-control-expose-headers')?.split(', ')).toEqual(expect.arrayContaining(['Retry-After', 'RateLimit', 'RateLimit-Policy']));
  });

  it("one caller's spent budget does not touch another's", async () => {
    const spender = await mintToken('user-limit-b');
    for (let i = 0; i < 4; i++) await create(byCaller, spender);
    expect((await create(byCaller, await mintToken('user-limit-c'))).status).toBe(201);
  });

  it('counts only verified callers: a request without a valid token is 401 and spends nothing', async () => {
    const token = await mintToken('user-limit-d');
    for (let i = 0; i < 5; i++) expect((await create(byCaller, 'not.a.token')).status).toBe(401);
    expect((await create(byCaller, token)).headers.get('ratelimit')).toMatch(/^"createTask";r=2;t=(20|19)$/);
  });

  it('leaves operations without a policy unlimited and without RateLimit fields', async () => {
    const res = await byCaller.request('/api/tasks', { token: await mintToken('user-limit-a') });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toBeNull();
    expect(res.headers.get('ratelimit-policy')).toBeNull();
  });

  it('RATE_LIMITS=off ignores the policy', async () => {
    const token = await mintToken('user-limit-off');
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await create(off, token)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
  });
});

describe('x-specgate-rate-limit by ip, with TRUST_PROXY=1', () => {
  it('keys the budget on the address the proxy saw, whoever the caller is', async () => {
    const via = (address: string) => ({ 'x-forwarded-for': address });
    const statuses = [];
    for (const sub of ['ip-1', 'ip-2', 'ip-3', 'ip-4']) statuses.push((await create(byIp, await mintToken(sub), via('203.0.113.7'))).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    // A client cannot pick a fresh budget by writing X-Forwarded-For itself: the proxy appends the real address.
    expect((await create(byIp, await mintToken('ip-5'), via('198.51.100.1, 203.0.113.7'))).status).toBe(429);
    expect((await create(byIp, await mintToken('ip-6'), via('198.51.100.1'))).status).toBe(201);
  });
});
