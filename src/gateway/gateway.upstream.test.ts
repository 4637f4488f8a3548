/**
 * Gateway mode over HTTP in front of a real upstream (src/testing/upstream.ts): what is forwarded
 * and what never is, the caller's identity, the answer's CORS, error translation, contract
 * checks on answers, timeouts, dropped connections, retries and the circuit breaker.
 */
import { createServer, request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { gatewaySpec, localHandlers } from '../testing/gateway-spec.js';
import { ALLOWED_ORIGIN, FOREIGN_ORIGIN } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';
import { DJANGO_500, startTestUpstream, UPSTREAM_BASE_PATH, type TestUpstream } from '../testing/upstream.js';
import { declaredAnswerProblems } from '../testing/declared-answer.js';
import { expectNotReady } from '../testing/expect-refusal.js';

let upstream: TestUpstream;
let gateway: TestGateway;
let token: string;

beforeAll(async () => {
  upstream = await startTestUpstream();
  // enforce: the 502s below; the default in gateway mode (report) is tested in response-validation.upstream.test.ts.
  gateway = await startTestGateway(gatewaySpec(upstream.url), { UPSTREAM_URL: upstream.url, UPSTREAM_TIMEOUT_MS: '500', UPSTREAM_RESPONSE_VALIDATION: 'enforce' }, localHandlers);
  token = await mintToken('user-42', { email: 'ada@example.com' });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

/** A request through node:http, which (unlike fetch) can send Connection and Keep-Alive. */
function rawRequest(url: string, method: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The requests the upstream receives while `action` runs. */
async function receivedDuring(action: () => Promise<unknown>) {
  const before = upstream.received.length;
  await action();
  return upstream.received.slice(before);
}

describe('forwarding', () => {
  it('forwards an authenticated GET under the base path and streams the answer back with the gateway CORS only', async () => {
    const [seen] = await receivedDuring(async () => {
      const res = await gateway.request('/items/7?expand=1', { token });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: '7', name: 'An item' });
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('vary')).toBe('Origin, Accept-Encoding');
      expect(res.headers.get('x-upstream')).toBe('test');
      expect(res.headers.get('keep-alive')).not.toBe('timeout=77');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
    expect(seen).toMatchObject({ method: 'GET', url: `${UPSTREAM_BASE_PATH}/items/7?expand=1` });
    expect(seen!.headers['x-user-id']).toBe('user-42');
    expect(seen!.headers.authorization).toBe(`Bearer ${token}`);
    expect(seen!.headers['x-forwarded-proto']).toBe('http');
    expect(seen!.headers['x-forwarded-host']).toBe(new URL(gateway.url).host);
    expect(seen!.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen!.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('never lets a client claim an identity: its X-User-Id and X-Forwarded-* are replaced', async () => {
    const spoofed = { 'x-user-id': 'admin', 'X-Forwarded-For': '10.0.0.1', 'x-forwarded-host': 'evil.example' };
    const [authed] = await receivedDuring(() => gateway.request('/items/1', { token, headers: spoofed }));
    expect(authed!.headers['x-user-id']).toBe('user-42');
    expect(authed!.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(authed!.headers['x-forwarded-host']).toBe(new URL(gateway.url).host);
    const [anonymous] = await receivedDuring(() => gateway.request('/cases/ok', { headers: { 'X-User-Id': 'admin' } }));
    expect(anonymous!.headers['x-user-id']).toBeUndefined();
  });

  it('keeps the X-Request-ID and traceparent a client sent', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const [seen] = await receivedDuring(async () => {
      const res = await gateway.request('/cases/ok', { headers: { 'x-request-id': 'client-chosen-id', traceparent } });
      expect(res.headers.get('x-request-id')).toBe('client-chosen-id');
    });
    expect(seen!.headers['x-request-id']).toBe('client-chosen-id');
    expect(seen!.headers.traceparent).toBe(traceparent);
  });

  it('forwards the body bytes as received, Content-Length kept, and hop-by-hop headers removed', async () => {
    const bytes = '{ "name" :  "spaced \\u00e9" }';
    const headers = { origin: ALLOWED_ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-drop-me': '1', connection: 'keep-alive, x-drop-me', 'keep-alive': 'timeout=5' };
    const [seen] = await receivedDuring(async () => {
      const answer = await rawRequest(`${gateway.url}/items`, 'POST', headers, bytes);
      expect(answer.status).toBe(201);
      expect(JSON.parse(answer.body)).toEqual({ id: 'new', name: 'spaced é' });
    });
    expect(seen!.body.toString('utf8')).toBe(bytes);
    expect(seen!.headers['content-length']).toBe(String(Buffer.byteLength(bytes)));
    expect(seen!.headers['x-drop-me']).toBeUndefined();
    expect(seen!.headers['keep-alive']).toBeUndefined();
  });

  it('forwards a gzip body as the decoded bytes, without Content-Encoding', async () => {
    const bytes = '{"name":"zipped"}';
    const [seen] = await receivedDuring(async () => {
      const res = await gateway.request('/items', { method: 'POST', token, body: gzipSync(bytes), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
      expect(res.status).toBe(201);
    });
    expect(seen!.body.toString('utf8')).toBe(bytes);
    expect(seen!.headers['content-encoding']).toBeUndefined();
    expect(seen!.headers['content-length']).toBe(String(bytes.length));
  });

  it('never forwards what the contract refuses: 404, 405, 401, 400, 415', async () => {
    const seen = await receivedDuring(async () => {
      const answers = await Promise.all([
        gateway.request('/nowhere'),
        gateway.request('/items/1', { method: 'DELETE', token }),
        gateway.request('/items/1'),
        gateway.request('/items', { method: 'POST', token, body: '{}', headers: { 'content-type': 'application/json' } }),
        gateway.request('/items', { method: 'POST', token, body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      ]);
      expect(answers.map((r) => r.status)).toEqual([404, 405, 401, 400, 415]);
      for (const res of answers) expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    });
    expect(seen).toEqual([]);
  });

  it('answers a handled operation of the same spec itself', async () => {
    const seen = await receivedDuring(async () => {
      const res = await gateway.request('/local');
      expect(await res.json()).toEqual({ id: 'local', name: 'answered by the gateway itself' });
    });
    expect(seen).toEqual([]);
  });
});

describe('upstream errors', () => {
  const expectError = async (res: Response, status: number, errorType: string) => {
    const body = await res.json();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(body).toMatchObject({ status_code: status, error_type: errorType, request_id: res.headers.get('x-request-id') });
    return body;
  };

  it("keeps FastAPI's detail", async () => {
    expect((await expectError(await gateway.request('/cases/detail-404'), 404, 'not_found')).detail).toBe('Item not found');
  });

  it("turns FastAPI's 422 list into validation_error with errors", async () => {
    const body = await expectError(await gateway.request('/cases/fastapi-422'), 422, 'validation_error');
    expect(body.errors).toEqual([
      { location: 'query', path: 'limit', message: 'value is not a valid integer' },
      { location: 'body', path: '/name', message: 'field required' },
    ]);
  });

  it("turns Django's HTML 500 into internal_error, the page never shown", async () => {
    const res = await gateway.request('/cases/html-500');
    const text = await res.clone().text();
    expect(text).not.toContain('Traceback');
    expect(text).not.toContain('SECRET_KEY');
    expect((await expectError(res, 500, 'internal_error')).detail).toBe('The upstream service failed. Quote the request id when reporting it.');
  });

  it('answers 504 gateway_timeout when no head comes in time', async () => {
    const body = await expectError(await gateway.request('/cases/slow'), 504, 'gateway_timeout');
    expect(body.detail).toBe('The upstream for getCase did not answer within 500 ms.');
  });

  it('retries an idempotent request once on a dropped connection, then answers 502 bad_gateway', async () => {
    const seen = await receivedDuring(async () => {
      const body = await expectError(await gateway.request('/cases/drop'), 502, 'bad_gateway');
      expect(body.detail).toBe('The upstream for getCase could not be reached (connection dropped).');
    });
    expect(seen).toHaveLength(2);
  });

  it('answers 502 naming the operation and the violation when the answer breaks the contract, and logs it', async () => {
    const body = await expectError(await gateway.request('/cases/wrong-body'), 502, 'bad_gateway');
    expect(body.detail).toBe("The upstream's answer to getCase breaks the contract: the body of 200 breaks the schema (/ must have required property 'name'; /id must be string).");
    expect(gateway.logs).toContainEqual(expect.objectContaining({ msg: 'upstream answer breaks the contract', operationId: 'getCase' }));
  });

  it('answers 502 when the answer lacks a header the contract requires', async () => {
    const body = await expectError(await gateway.request('/located'), 502, 'bad_gateway');
    expect(body.detail).toBe("The upstream's answer to getLocated breaks the contract: status 200 requires the header location.");
  });

  it('answers 502 when a body it must check stalls', async () => {
    expect((await expectError(await gateway.request('/cases/stall'), 502, 'bad_gateway')).detail).toBe("The upstream's answer to getCase broke off.");
  });
});

describe('modes', () => {
  it('UPSTREAM_ERRORS=pass keeps upstream bodies, still with the gateway CORS', async () => {
    const passing = await startTestGateway(gatewaySpec(upstream.url), { UPSTREAM_URL: upstream.url, UPSTREAM_ERRORS: 'pass', UPSTREAM_RESPONSE_VALIDATION: 'off' }, localHandlers);
    try {
      const res = await passing.request('/cases/html-500');
      expect(res.status).toBe(500);
      expect(await res.text()).toBe(DJANGO_500);
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    } finally {
      await passing.close();
    }
  });

  it('ends the connection when a streamed body stalls, and logs it', async () => {
    const streaming = await startTestGateway(gatewaySpec(upstream.url), { UPSTREAM_URL: upstream.url, UPSTREAM_RESPONSE_VALIDATION: 'off', UPSTREAM_TIMEOUT_MS: '300' }, localHandlers);
    try {
      const res = await streaming.request('/cases/stall');
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
      await expect.poll(() => streaming.logs.some((l) => l.msg === 'upstream body broke off or stalled; connection ended')).toBe(true);
    } finally {
      await streaming.close();
    }
  });

  it('UPSTREAM_AUTHORIZATION=strip and UPSTREAM_CLAIM_HEADERS change what goes upstream', async () => {
    const stripping = await startTestGateway(gatewaySpec(upstream.url), { UPSTREAM_URL: upstream.url, UPSTREAM_AUTHORIZATION: 'strip', UPSTREAM_CLAIM_HEADERS: 'email', UPSTREAM_USER_HEADER: 'X-Auth-Sub' }, localHandlers);
    try {
      const [seen] = await receivedDuring(() => stripping.request('/items/3', { token, headers: { 'x-user-email': 'forged@example.com', 'x-auth-sub': 'forged' } }));
      expect(seen!.headers.authorization).toBeUndefined();
      expect(seen!.headers['x-auth-sub']).toBe('user-42');
      expect(seen!.headers['x-user-email']).toBe('ada@example.com');
    } finally {
      await stripping.close();
    }
  });
});

describe('an upstream that is down', () => {
  it('answers 502, then 503 with Retry-After once the circuit opens, reported by /health, and lets a probe through after the cool-down', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = `http://127.0.0.1:${port}`;
    const gw = await startTestGateway(gatewaySpec(down), { UPSTREAM_URL: down, UPSTREAM_BREAKER_FAILURES: '2', UPSTREAM_BREAKER_COOLDOWN: '1' }, localHandlers);
    try {
      const first = await gw.request('/cases/ok');
      expect(first.status).toBe(502);
      expect((await first.json()).detail).toBe('The upstream for getCase could not be reached (connection refused).');
      expect((await (await gw.request('/health')).json()).upstreams).toEqual([{ origin: down, state: 'down' }]);
      expect((await gw.request('/cases/ok')).status).toBe(502);
      const refused = await gw.request('/cases/ok');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      const text = await refused.text();
      expect(JSON.parse(text)).toMatchObject({ error_type: 'service_unavailable', detail: 'The upstream for getCase is failing, so its circuit is open. Try again in 1 s.' });
      // Both 503s are what the gateway's published contract declares there.
      const published = await (await gw.request('/openapi.json')).json();
      expect(declaredAnswerProblems(published, 'getCase', refused, text)).toEqual([]);
      await expectNotReady(await gw.request('/health'), `Not ready: the circuit of ${down} is open.`, { upstreams: [{ origin: down, state: 'open' }] }, '5', published);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await gw.request('/cases/ok')).status).toBe(502);
      expect((await gw.request('/cases/ok')).status).toBe(503);
    } finally {
      await gw.close();
    }
  });

  it('does not let a foreign origin read any of it', async () => {
    const res = await gateway.request('/cases/html-500', { headers: { origin: FOREIGN_ORIGIN } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
