/**
 * WebSocket tunnels through the gateway, driven by the `ws` client: an allowed Origin, a
 * same-domain Origin (https://app.example.com for the API's own host), a foreign Origin, no token,
 * a token in the query, identities that need encoding or cannot be sent; refusals carry the
 * uniform body before any upgrade.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { gatewaySpec, localHandlers } from '../testing/gateway-spec.js';
import { mintToken } from '../testing/tokens.js';
import { startTestUpstream, UPSTREAM_BASE_PATH, type TestUpstream } from '../testing/upstream.js';

const APP_ORIGIN = 'https://app.example.com';
let upstream: TestUpstream;
let gateway: TestGateway;
let token: string;

beforeAll(async () => {
  upstream = await startTestUpstream();
  gateway = await startTestGateway(gatewaySpec(upstream.url), { UPSTREAM_URL: upstream.url, CORS_ORIGINS: `http://localhost:3000,${APP_ORIGIN}` }, localHandlers);
  token = await mintToken('user-42');
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

const wsUrl = (query = '') => `${gateway.url.replace('http', 'ws')}/ws${query}`;

/** Opens a socket, sends one message and resolves with the reply and the chosen subprotocol. */
function echo(url: string, protocols: string[], options: WebSocket.ClientOptions): Promise<{ reply: string; protocol: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    ws.once('open', () => ws.send('hello'));
    ws.once('message', (data) => {
      resolve({ reply: String(data), protocol: ws.protocol });
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Tries to open a socket that must be refused; resolves with the refusal's status, headers and body. */
function refused(url: string, protocols: string[], options: WebSocket.ClientOptions): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    ws.once('open', () => reject(new Error('the upgrade was accepted')));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    ws.once('error', () => {});
  });
}

describe('WebSocket upgrades', () => {
  it('tunnels an allowed Origin with the token in Sec-WebSocket-Protocol, the verified caller upstream', async () => {
    const before = upstream.received.length;
    const { reply, protocol } = await echo(wsUrl(), ['bearer', token], { origin: 'http://localhost:3000', headers: { 'x-user-id': 'admin' } });
    expect(reply).toBe('user-42: hello');
    expect(protocol).toBe('bearer');
    const seen = upstream.received.slice(before)[0]!;
    expect(seen.url).toBe(`${UPSTREAM_BASE_PATH}/ws`);
    expect(seen.headers['sec-websocket-protocol']).toBeUndefined();
  });

  it('accepts a same-domain Origin (https://app.example.com in front of another host) when it is allowed', async () => {
    expect((await echo(wsUrl(), ['bearer', token], { origin: APP_ORIGIN })).reply).toBe('user-42: hello');
  });

  it('accepts the token as the access_token query parameter, which never reaches the upstream', async () => {
    const before = upstream.received.length;
    expect((await echo(wsUrl(`?access_token=${token}`), [], { origin: APP_ORIGIN })).reply).toBe('user-42: hello');
    expect(upstream.received.slice(before)[0]!.url).toBe(`${UPSTREAM_BASE_PATH}/ws`);
  });

  it('refuses a foreign Origin with a 403 in the uniform body, before any upgrade', async () => {
    const before = upstream.received.length;
    const { status, headers, body } = await refused(wsUrl(), ['bearer', token], { origin: 'https://evil.example' });
    expect(status).toBe(403);
    expect(body).toEqual({ detail: 'This Origin may not open a WebSocket here.', status_code: 403, error_type: 'authorization_error', request_id: headers['x-request-id'] });
    expect(headers['access-control-allow-origin']).toBeUndefined();
    expect(upstream.received.length).toBe(before);
  });

  it('refuses a missing token with a 401 in the uniform body, readable by the allowed Origin', async () => {
    const { status, headers, body } = await refused(wsUrl(), [], { origin: APP_ORIGIN });
    expect(status).toBe(401);
    expect(body).toMatchObject({ status_code: 401, error_type: 'authentication_error', detail: 'A bearer token is required: send it as Sec-WebSocket-Protocol "bearer, <token>" or the access_token query parameter.' });
    expect(headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('sends a non-ASCII sub percent-encoded, refuses one with a control character, and drops X_User_Id', async () => {
    const before = upstream.received.length;
    const japanese = await mintToken('日本');
    expect((await echo(wsUrl(), ['bearer', japanese], { origin: APP_ORIGIN, headers: { X_User_Id: 'admin' } })).reply).toBe('%E6%97%A5%E6%9C%AC: hello');
    const seen = upstream.received.slice(before)[0]!;
    expect(seen.headers['x-specgate-percent-encoded']).toBe('x-user-id');
    expect(seen.headers.x_user_id).toBeUndefined();
    const broken = await refused(wsUrl(), ['bearer', await mintToken('eve\nadmin')], { origin: APP_ORIGIN });
    expect(broken.status).toBe(401);
    expect(broken.body.detail).toBe('The bearer token was rejected: its sub holds a control character, which cannot be forwarded as a header.');
    expect(upstream.received.length).toBe(before + 1);
  });

  it('refuses a bad token with a 401, and a path that accepts no WebSocket with a 404', async () => {
    expect((await refused(wsUrl(), ['bearer', 'not.a.token'], { origin: APP_ORIGIN })).status).toBe(401);
    const notSocket = await refused(`${gateway.url.replace('http', 'ws')}/items/1`, ['bearer', token], { origin: APP_ORIGIN });
    expect(notSocket.status).toBe(404);
    expect(notSocket.body.error_type).toBe('not_found');
  });
});
