/**
 * What Node's parser refuses is still answered in the uniform Error body, with CORS for an allowed
 * Origin found in what arrived: a request that is not HTTP, and an over-64 KiB head on a
 * connection that already served a request (keep-alive, as browsers reuse connections). The
 * 32 KiB limit itself is exact to the byte.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessApp, type ListeningApp } from '../testing/in-process.js';
import { MAX_HEAD_BYTES } from '../pipeline/head-limit.js';
import { ALLOWED_ORIGIN, FOREIGN_ORIGIN } from '../testing/server.js';

let server: ListeningApp;
beforeAll(async () => {
  server = await (await inProcessApp()).listen();
});
afterAll(() => server.close());

/**
 * Writes a raw request on a new connection — after a GET /health on the same connection when
 * `reuse` — and returns everything the server sent until it closed.
 */
function exchange(request: string, { reuse = false } = {}): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    let sent = !reuse;
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (!sent && received.includes('"status":"ok"')) {
        sent = true;
        socket.write(request);
      }
    });
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
    socket.write(reuse ? 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n' : request);
  });
}

/** The last response in raw HTTP text: status, headers (lower-cased names), JSON body. */
function lastResponse(raw: string) {
  const start = raw.lastIndexOf('HTTP/1.1 ');
  const [head, body] = raw.slice(start).split('\r\n\r\n');
  const [statusLine, ...lines] = head!.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine!.split(' ')[1]), headers, body: JSON.parse(body!) };
}

describe('requests refused by the HTTP parser', () => {
  it('answers a request that is not HTTP with the uniform 400 and CORS for an allowed Origin', async () => {
    const res = lastResponse(await exchange(`GET /health HTTP/1.1\r\nHost: x\r\nOrigin: ${ALLOWED_ORIGIN}\r\nBad Header Line\r\n\r\n`));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: 'The request is not valid HTTP/1.1.', status_code: 400, error_type: 'validation_error', request_id: res.headers['x-request-id'] });
    expect(res.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'access-control-allow-origin': ALLOWED_ORIGIN,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Request-ID',
      vary: 'Origin',
      connection: 'close',
    });
  });

  it('answers an over-64 KiB head on a reused connection with the uniform 431, without CORS for a foreign Origin', async () => {
    const huge = (origin: string) => `GET /api/tasks HTTP/1.1\r\nHost: x\r\nCookie: a=${'b'.repeat(70_000)}\r\nOrigin: ${origin}\r\n\r\n`;
    const allowed = await exchange(huge(ALLOWED_ORIGIN), { reuse: true });
    expect(allowed.startsWith('HTTP/1.1 200 OK')).toBe(true);
    const res = lastResponse(allowed);
    expect(res.status).toBe(431);
    expect(res.body).toEqual({ detail: 'The request headers are larger than 32 KiB.', status_code: 431, error_type: 'headers_too_large', request_id: res.headers['x-request-id'] });
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    const foreign = lastResponse(await exchange(huge(FOREIGN_ORIGIN), { reuse: true }));
    expect(foreign.status).toBe(431);
    expect(Object.keys(foreign.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});

describe('the 32 KiB head limit', () => {
  /** A raw GET /health whose head (request line to the blank line) is exactly `bytes` long. */
  function headOf(bytes: number): string {
    const start = `GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: ${ALLOWED_ORIGIN}\r\nX-Padding: `;
    const head = `${start}${'p'.repeat(bytes - start.length - 4)}\r\n\r\n`;
    expect(Buffer.byteLength(head)).toBe(bytes);
    return head;
  }

  it('serves a head of exactly 32 KiB and answers one byte more with the uniform 431 and CORS', async () => {
    expect(lastResponse(await exchange(headOf(MAX_HEAD_BYTES))).status).toBe(200);
    const over = lastResponse(await exchange(headOf(MAX_HEAD_BYTES + 1)));
    expect(over.status).toBe(431);
    expect(over.body.error_type).toBe('headers_too_large');
    expect(over.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });
});
