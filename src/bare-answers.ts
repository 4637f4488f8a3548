/**
 * The answers Node would otherwise give bare (an empty 400, a 417 without a body, a 408 without a
 * body, or a closed connection), given in the uniform Error body instead, with the CORS headers of
 * an allowed Origin when the request's Origin is known:
 * - an HTTP/1.1 request without a Host header: 400 validation_error;
 * - an `Expect` other than `100-continue`: 417 expectation_failed;
 * - CONNECT (this server is not a proxy): 400 validation_error;
 * - a head or a request not received in time (src/server-timeouts.ts): 408 request_timeout.
 * Each closes the connection.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError, validationError } from './errors.js';
import { errorBody } from './pipeline/format-error.js';

type OriginCheck = (origin: string | undefined) => boolean;

/**
 * The error types only the HTTP server answers, before any stage runs: fetch() cannot send an
 * `Expect` nor stall a request, so src/bare-answers.test.ts produces them on raw sockets.
 */
export const SERVER_ERROR_TYPES = ['request_timeout', 'expectation_failed'] as const;

/** 417: an expectation this server cannot meet. */
export const expectationFailed = (expect: string) =>
  new ApiError(417, 'expectation_failed', `Expect: ${expect} cannot be met; this server supports only Expect: 100-continue.`);

/** 408: the request did not arrive in time. */
export const requestTimeout = () =>
  new ApiError(408, 'request_timeout', 'The request was not received in time; the connection is closed. Send it again, faster.');

const noHost = () =>
  validationError([{ location: 'header', path: 'Host', message: 'is required in HTTP/1.1' }], 'The request has no Host header, which HTTP/1.1 requires.');

const noConnect = () => new ApiError(400, 'validation_error', 'CONNECT is not supported: this server is an API, not a proxy.');

/** The error's own headers, then the CORS headers an allowed Origin gets, exposing X-Request-ID and the error's headers. */
function errorHeaders(error: ApiError, origin: string | undefined, isAllowed: OriginCheck): [string, string][] {
  const own = Object.entries(error.headers);
  if (origin === undefined || !isAllowed(origin)) return own;
  return [
    ...own,
    ['Access-Control-Allow-Origin', origin],
    ['Access-Control-Allow-Credentials', 'true'],
    ['Access-Control-Expose-Headers', ['X-Request-ID', ...own.map(([name]) => name)].join(', ')],
  ];
}

/** Writes the uniform error on a response the pipeline never saw, and closes the connection. */
function answer(req: IncomingMessage, res: ServerResponse, error: ApiError, isAllowed: OriginCheck): void {
  const requestId = randomUUID();
  const body = JSON.stringify(errorBody(error, requestId));
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Vary', 'Origin');
  res.setHeader('X-Request-ID', requestId);
  for (const [name, value] of errorHeaders(error, req.headers.origin, isAllowed)) res.setHeader(name, value);
  res.setHeader('Connection', 'close');
  res.end(body);
}

/** The uniform error as raw HTTP/1.1 bytes, for a socket without a response object (a parser refusal, a refused upgrade); the connection closes. */
export function rawAnswer(error: ApiError, origin: string | undefined, isAllowed: OriginCheck, requestId: string = randomUUID()): string {
  const body = JSON.stringify(errorBody(error, requestId));
  const headers = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}`,
    'Content-Type: application/json; charset=utf-8',
    'Cache-Control: no-store',
    'Vary: Origin',
    `X-Request-ID: ${requestId}`,
    ...errorHeaders(error, origin, isAllowed).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${body}`;
}

/** The Origin of the request a socket is in the middle of, when its head has arrived. */
export function pendingOrigin(socket: Socket): string | undefined {
  return (socket as Socket & { _httpMessage?: { req?: IncomingMessage } })._httpMessage?.req?.headers.origin;
}

/** Wraps the app so that a request without Host is answered before it; use with `requireHostHeader: false`. */
export function requireHost(app: RequestListener, isAllowed: OriginCheck): RequestListener {
  return function hostCheck(req, res) {
    const http11 = req.httpVersionMajor > 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1);
    if (http11 && req.headers.host === undefined) return answer(req, res, noHost(), isAllowed);
    app(req, res);
  };
}

/** Answers unmet expectations and CONNECT on a server in the uniform body. */
export function answerBareRequests(server: Server, isAllowed: OriginCheck): void {
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => answer(req, res, expectationFailed(String(req.headers.expect)), isAllowed));
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    socket.end(rawAnswer(noConnect(), req.headers.origin, isAllowed));
  });
}
