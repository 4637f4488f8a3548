/**
 * What the HTTP server answers before the pipeline, on raw sockets: no Host, an unmet Expect,
 * CONNECT, a head never finished and a body trickled a byte at a time each get the uniform Error
 * body (with CORS when the Origin is known) and a closed connection, within the documented bounds.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessApp, type ListeningApp } from '../testing/in-process.js';
import { DEADLINE_CHECK_MS } from './server-timeouts.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';

const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 1500;
let server: ListeningApp;
beforeAll(async () => {
  server = await (await inProcessApp({ env: { HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } })).listen();
});
afterAll(() => server.close());

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Milliseconds from connecting to the server closing the connection. */
  closedAfter: number;
}

/** Sends `head` (then `trickle`, one byte every `everyMs`) on a new connection and reads what comes back until the server closes it. */
function exchange(head: string, trickle = '', everyMs = 200): Promise<Answer> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      const [top = '', body = ''] = received.split('\r\n\r\n');
      const [status, ...lines] = top.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      try {
        resolve({ status: Number(status!.split(' ')[1]), headers, body: JSON.parse(body), closedAfter: Date.now() - started });
      } catch {
        reject(new Error(`not a uniform answer: ${JSON.stringify(received)}`));
      }
    });
    socket.write(head);
    let i = 0;
    if (trickle) timer = setInterval(() => (i < trickle.length ? socket.write(trickle[i++]!) : clearInterval(timer)), everyMs);
  });
}

const uniform = (answer: Answer, status: number, error_type: string, detail: string) => {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(answer.headers.connection).toBe('close');
  expect(answer.body).toEqual({ detail, status_code: status, error_type, request_id: answer.headers['x-request-id'], ...(status === 400 && error_type === 'validation_error' && detail.includes('Host') ? { errors: [{ location: 'header', path: 'Host', message: 'is required in HTTP/1.1' }] } : {}) });
};

describe('answers Node would give bare', () => {
  it('an HTTP/1.1 request without Host: 400 validation_error with CORS', async () => {
    const answer = await exchange(`GET /health HTTP/1.1\r\nOrigin: ${ALLOWED_ORIGIN}\r\n\r\n`);
    uniform(answer, 400, 'validation_error', 'The request has no Host header, which HTTP/1.1 requires.');
    expect(answer.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });

  it('Expect: foo: 417 expectation_failed with CORS', async () => {
    const answer = await exchange(`GET /health HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nOrigin: ${ALLOWED_ORIGIN}\r\n\r\n`);
    uniform(answer, 417, 'expectation_failed', 'Expect: foo cannot be met; this server supports only Expect: 100-continue.');
    expect(answer.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });

  it('CONNECT: 400, not a silently closed connection', async () => {
    const answer = await exchange(`CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nOrigin: ${ALLOWED_ORIGIN}\r\n\r\n`);
    uniform(answer, 400, 'validation_error', 'CONNECT is not supported: this server is an API, not a proxy.');
    expect(answer.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });

  it('a head never finished: 408 request_timeout within HTTP_HEADERS_TIMEOUT_MS and one deadline check', async () => {
    const answer = await exchange(`GET /health HTTP/1.1\r\nHost: x\r\nOrigin: ${ALLOWED_ORIGIN}\r\n`);
    uniform(answer, 408, 'request_timeout', 'The request was not received in time; the connection is closed. Send it again, faster.');
    expect(answer.closedAfter).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(answer.closedAfter).toBeLessThan(HEADERS_TIMEOUT_MS + DEADLINE_CHECK_MS + 1000);
  });

  it('a body sent a byte at a time: cut with 408 and CORS within HTTP_REQUEST_TIMEOUT_MS and one deadline check', async () => {
    const head = `POST /api/tasks HTTP/1.1\r\nHost: x\r\nOrigin: ${ALLOWED_ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`;
    const answer = await exchange(head, '{"title":"'.padEnd(100, 'a'));
    uniform(answer, 408, 'request_timeout', 'The request was not received in time; the connection is closed. Send it again, faster.');
    expect(answer.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(answer.closedAfter).toBeLessThan(REQUEST_TIMEOUT_MS + DEADLINE_CHECK_MS + 1000);
  });
});
