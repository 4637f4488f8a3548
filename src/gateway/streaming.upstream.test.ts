/**
 * An answer the gateway does not need whole is streamed to the client as it arrives (undici's
 * dispatch(), src/gateway/upstream-call.ts): a slow client gets every byte, in order, and a
 * client that goes away mid-answer leaves the gateway answering the next request.
 */
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../testing/gateway.js';
import { gatewaySpec, localHandlers } from '../testing/gateway-spec.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';
import { largeBody, startTestUpstream, type TestUpstream } from '../testing/upstream.js';

let upstream: TestUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startTestUpstream();
  gateway = await startTestGateway(gatewaySpec(upstream.url), { UPSTREAM_URL: upstream.url, UPSTREAM_RESPONSE_VALIDATION: 'off' }, localHandlers);
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

describe('streamed answers', () => {
  it('gives a client that reads slowly all 8 MiB, byte for byte, with the gateway CORS', async () => {
    const { status, origin, body } = await new Promise<{ status: number; origin: unknown; body: Buffer }>((resolve, reject) => {
      get(`${gateway.url}/cases/large`, { headers: { origin: ALLOWED_ORIGIN } }, (res) => {
        const chunks: Buffer[] = [];
        // Nothing read for 300 ms: the gateway's socket buffer fills and the upstream connection must wait.
        res.pause();
        setTimeout(() => res.resume(), 300);
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, origin: res.headers['access-control-allow-origin'], body: Buffer.concat(chunks) }));
        res.on('error', reject);
      }).on('error', reject);
    });
    expect(status).toBe(200);
    expect(origin).toBe(ALLOWED_ORIGIN);
    expect(body.length).toBe(largeBody().length);
    expect(body.equals(largeBody())).toBe(true);
  });

  it('keeps answering after a client goes away in the middle of an answer', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = get(`${gateway.url}/cases/large`, { headers: { origin: ALLOWED_ORIGIN } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.on('close', resolve);
      setTimeout(() => reject(new Error('no answer')), 5_000);
    });
    const next = await gateway.request('/cases/ok');
    expect(next.status).toBe(200);
    expect(await next.json()).toEqual({ id: 'ok', name: 'fine' });
    expect(gateway.logs.some((l) => l.msg === 'upstream body broke off or stalled; connection ended')).toBe(false);
  });
});
