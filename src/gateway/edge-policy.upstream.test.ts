/**
 * The edge security policy (docs/gateway.md) against a real upstream that records what it
 * received: path-confusion refusals and rebuilt paths, header names with `_`, method overrides,
 * identities that cannot be header values, duplicate JSON keys, a breaker only upstream failures
 * open, and the public origin — Forwarded, X-Forwarded-*, rewritten Location.
 */
import { request as httpRequest } from 'node:http';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationInfo } from '../contract/spec.js';
import { edgeSpec } from '../testing/edge-spec.js';
import { startEdgeUpstream, type EdgeUpstream, type RawRequest } from '../testing/edge-upstream.js';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';
import { CircuitBreaker } from './breaker.js';
import { sendUpstream } from './upstream-send.js';

let app: EdgeUpstream;
let gateway: TestGateway;
let token: string;

beforeAll(async () => {
  app = await startEdgeUpstream('/app');
  gateway = await startTestGateway(edgeSpec(`${app.origin}/app`), { UPSTREAM_RESPONSE_VALIDATION: 'off', UPSTREAM_CLAIM_HEADERS: 'name' });
  token = await mintToken('alice', { name: 'Alice' });
});
afterAll(async () => {
  await gateway?.close();
  await app?.close();
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: any;
}

/** A request byte for byte through node:http (fetch resolves dot-segments and cannot set Host). */
function send(target: string, { method = 'GET', headers = {}, body, to = gateway.url }: { method?: string; headers?: Record<string, string>; body?: string; to?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const all = { origin: ALLOWED_ORIGIN, ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }) };
    const req = httpRequest(`${to}/`, { method, path: target, headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What the upstream received while `action` ran. */
async function receivedDuring(action: () => Promise<unknown>): Promise<RawRequest[]> {
  const before = app.received.length;
  await action();
  return app.received.slice(before);
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('paths', () => {
  it('refuses an encoded slash, backslash or dot-segment in a parameter before anything is sent, with CORS', async () => {
    const seen = await receivedDuring(async () => {
      for (const value of ['..%2Fadmin%2Fusers', '..%5cadmin', '%2E%2e', '.', 'a%2fb']) {
        const answer = await send(`/api/public/${value}`);
        expect(answer.status).toBe(400);
        expect(answer.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
        expect(answer.body).toMatchObject({ error_type: 'validation_error', errors: [{ location: 'path', path: 'name' }] });
      }
    });
    expect(seen).toEqual([]);
  });

  it('sends the path rebuilt from the template, each value one encoded segment, never the bytes received', async () => {
    const seen = await receivedDuring(async () => {
      expect((await send('/api/%70ublic/caf%c3%a9%20au%20lait')).status).toBe(200);
      expect((await send('/api/files/a%2Fb%5Cc')).status).toBe(200);
    });
    expect(seen.map((r) => r.url)).toEqual(['/app/api/public/caf%C3%A9%20au%20lait', '/app/api/files/a%2Fb%5Cc']);
  });
});

describe('request headers', () => {
  it('drops header names with "_" and every method override; the identity is the verified one only', async () => {
    const [seen] = await receivedDuring(async () => {
      const answer = await send('/api/me', { headers: { ...bearer(token), X_User_Id: 'admin', 'X-HTTP-Method-Override': 'DELETE', 'X-HTTP-Method': 'DELETE', 'X-Method-Override': 'DELETE', 'X-Kept': 'yes' } });
      expect(answer.body).toEqual({ url: '/app/api/me', user: 'alice' });
    });
    const names = seen!.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    expect(names.filter((n) => n.includes('_') || n.includes('method'))).toEqual([]);
    expect(seen!.headers['x-kept']).toBe('yes');
    expect(seen!.headers['x-user-id']).toBe('alice');
  });

  it('refuses header names with "_" with 400 under UPSTREAM_UNDERSCORE_HEADERS=refuse', async () => {
    const strict = await startTestGateway(edgeSpec(`${app.origin}/app`), { UPSTREAM_RESPONSE_VALIDATION: 'off', UPSTREAM_UNDERSCORE_HEADERS: 'refuse' });
    try {
      const seen = await receivedDuring(async () => {
        const answer = await send('/api/me', { to: strict.url, headers: { ...bearer(token), X_User_Id: 'admin' } });
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ error_type: 'validation_error', errors: [{ location: 'header', path: 'x_user_id' }] });
        expect((await send('/api/me', { to: strict.url, headers: bearer(token) })).status).toBe(200);
      });
      expect(seen).toHaveLength(1);
    } finally {
      await strict.close();
    }
  });

  it('forwards a non-ASCII sub and claim percent-encoded as UTF-8, naming them in X-Specgate-Percent-Encoded', async () => {
    const japanese = await mintToken('日本', { name: ' Zoë' });
    const [seen] = await receivedDuring(async () => expect((await send('/api/me', { headers: bearer(japanese) })).status).toBe(200));
    expect(seen!.headers['x-user-id']).toBe('%E6%97%A5%E6%9C%AC');
    expect(seen!.headers['x-user-name']).toBe('%20Zo%C3%AB');
    expect(seen!.headers['x-specgate-percent-encoded']).toBe('x-user-id, x-user-name');
    const [plain] = await receivedDuring(() => send('/api/me', { headers: { ...bearer(token), 'X-Specgate-Percent-Encoded': 'x-user-id' } }));
    expect(plain!.headers['x-specgate-percent-encoded']).toBeUndefined();
  });

  it('refuses 401 a token whose sub or forwarded claim holds a control character; nothing is sent', async () => {
    const cases = [await mintToken('alice\nX-Admin: 1'), await mintToken('bob\u0085'), await mintToken('carol\u007f'), await mintToken('dave', { name: 'Dave\r\n' })];
    const seen = await receivedDuring(async () => {
      for (const bad of cases) {
        const answer = await send('/api/me', { headers: bearer(bad) });
        expect(answer.status).toBe(401);
        expect(answer.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token", error_description="bad claims"');
        expect(answer.body.detail).toMatch(/^The bearer token was rejected: its (sub|name claim) holds a control character, which cannot be forwarded as a header\.$/);
      }
    });
    expect(seen).toEqual([]);
  });
});

describe('the breaker', () => {
  it('is never opened by tokens the gateway cannot forward: other users still get 200', async () => {
    const gw = await startTestGateway(edgeSpec(`${app.origin}/app`), { UPSTREAM_RESPONSE_VALIDATION: 'off', UPSTREAM_BREAKER_FAILURES: '2' });
    try {
      const bad = [await mintToken('日本'), await mintToken('eve\nadmin')];
      for (let i = 0; i < 10; i++) expect((await send('/api/me', { to: gw.url, headers: bearer(bad[i % 2]!) })).status).toBe(i % 2 === 0 ? 200 : 401);
      expect((await send('/api/me', { to: gw.url, headers: bearer(token) })).status).toBe(200);
      expect((await send('/health', { to: gw.url })).body.upstreams).toEqual([{ origin: app.origin, state: 'up' }]);
    } finally {
      await gw.close();
    }
  });

  it('counts an upstream 502/503/504 as a failure, and a 500 not (one request could cause it)', async () => {
    const gw = await startTestGateway(edgeSpec(`${app.origin}/app`), { UPSTREAM_RESPONSE_VALIDATION: 'off', UPSTREAM_BREAKER_FAILURES: '2' });
    try {
      for (let i = 0; i < 3; i++) expect((await send('/api/redirect/crash', { to: gw.url })).status).toBe(500);
      expect((await send('/api/public/x', { to: gw.url })).status).toBe(200);
      expect((await send('/api/redirect/unavailable', { to: gw.url })).status).toBe(503);
      expect((await send('/api/redirect/unavailable', { to: gw.url })).status).toBe(503);
      const refused = await send('/api/public/x', { to: gw.url });
      expect(refused.body).toMatchObject({ error_type: 'service_unavailable', detail: expect.stringContaining('circuit is open') });
    } finally {
      await gw.close();
    }
  });

  it('does not count a request undici refuses to send (the gateway\'s fault): 500, the circuit stays closed', async () => {
    const target = { origin: { name: app.origin, pool: new Pool(app.origin), breaker: new CircuitBreaker(2, 10_000) }, basePath: '/app' };
    const op = { operationId: 'getMe' } as OperationInfo;
    try {
      for (let i = 0; i < 5; i++) {
        const sent = sendUpstream(op, target, { method: 'GET', path: '/app/api/me', headers: { 'x-bad': 'a\nb' } }, undefined);
        await expect(sent).rejects.toMatchObject({ status: 500, errorType: 'internal_error' });
      }
      expect(target.origin.breaker.health()).toBe('up');
      expect(target.origin.breaker.refuse()).toBeUndefined();
    } finally {
      await target.origin.pool.close();
    }
  });
});

describe('JSON bodies', () => {
  it('refuses a key given twice, at any depth, naming its pointer; nothing is sent', async () => {
    const seen = await receivedDuring(async () => {
      const flat = await send('/api/notes', { method: 'POST', body: '{"text":123,"text":"ok"}' });
      expect(flat.status).toBe(400);
      expect(flat.body).toMatchObject({ error_type: 'validation_error', detail: 'The request body has a key twice in one object.', errors: [{ location: 'body', path: '/text', message: expect.stringContaining('duplicate key') }] });
      const deep = await send('/api/notes', { method: 'POST', body: '{"text":"ok","meta":{"tags":[{"a":1,"a":2}]}}' });
      expect(deep.body.errors).toEqual([expect.objectContaining({ path: '/meta/tags/0/a' })]);
    });
    expect(seen).toEqual([]);
    const [ok] = await receivedDuring(() => send('/api/notes', { method: 'POST', body: '{"text":"at 12:00","meta":{"url":"http://x:1/"}}' }));
    expect(ok!.body).toBe('{"text":"at 12:00","meta":{"url":"http://x:1/"}}');
  });
});

describe('the public origin', () => {
  it('tells the upstream where the request came from, and believes no client-sent provenance by default', async () => {
    const [seen] = await receivedDuring(() => send('/api/public/x', { headers: { host: 'api.example.com', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.9.9.9', forwarded: 'for=10.9.9.9' } }));
    expect(seen!.headers).toMatchObject({
      host: new URL(app.origin).host,
      forwarded: 'for=127.0.0.1;host=api.example.com;proto=http',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-host': 'api.example.com',
      'x-forwarded-proto': 'http',
    });
  });

  it('rewrites a Location and Content-Location naming the upstream to the public origin, base path taken off', async () => {
    const absolute = await send('/api/redirect/absolute', { headers: { host: 'api.example.com' } });
    expect(absolute.status).toBe(307);
    expect(absolute.headers.location).toBe('http://api.example.com/api/public/moved?x=1');
    expect(absolute.headers['content-location']).toBe('http://api.example.com/api/public/moved?x=1');
    expect((await send('/api/redirect/relative')).headers.location).toBe('/api/public/moved');
    expect((await send('/api/redirect/elsewhere')).headers.location).toBe('https://accounts.example.org/login');
  });

  it('with TRUST_PROXY=1 believes the proxy in front: its X-Forwarded-Host/Proto and Forwarded, ours appended', async () => {
    const trusting = await startTestGateway(edgeSpec(`${app.origin}/app`), { UPSTREAM_RESPONSE_VALIDATION: 'off', TRUST_PROXY: '1' });
    try {
      const proxied = { host: 'gateway.internal:8080', 'x-forwarded-host': 'api.example.com', 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.9.9.9, 203.0.113.7', forwarded: 'for=10.9.9.9, for=203.0.113.7;host=api.example.com;proto=https' };
      const [seen] = await receivedDuring(async () => {
        const answer = await send('/api/redirect/absolute', { to: trusting.url, headers: proxied });
        expect(answer.headers.location).toBe('https://api.example.com/api/public/moved?x=1');
      });
      expect(seen!.headers).toMatchObject({
        forwarded: 'for=203.0.113.7;host=api.example.com;proto=https, for=127.0.0.1;host="gateway.internal:8080";proto=http',
        'x-forwarded-for': '203.0.113.7, 127.0.0.1',
        'x-forwarded-host': 'api.example.com',
        'x-forwarded-proto': 'https',
      });
    } finally {
      await trusting.close();
    }
  });
});
