/**
 * The answers Node would otherwise give bare (an empty 400, a 417 without a body, a 408 without a
 * body, or a closed connection), given in the uniform Error body instead, with the CORS headers of
 * an allowed Origin when the request's Origin is known:
 * - an HTTP/1.1 request without a Host header: 400 validation_error;
 * - an `Expect` other than `100-continue`: 417 expectation_failed;
 * - CONNECT (this server is not a proxy): 400 validation_error;
 * - a head or a request not received in time (src/serve/server-timeouts.ts): 408 request_timeout.
 * Each closes the connection.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { connectNotSupported, expectationFailed, validationError, type ApiError } from '../errors.js';
import { renderError } from '../pipeline/error-body.js';

type OriginCheck = (origin: string | undefined) => boolean;

/**
 * The error types only the HTTP server answers, before any stage runs: fetch() cannot send an
 * `Expect` nor stall a request, so src/serve/bare-answers.test.ts produces them on raw sockets.
 */
export const SERVER_ERROR_TYPES = ['request_timeout', 'expectation_failed'] as const;

const noHost = () =>
  validationError([{ location: 'header', path: 'Host', message: 'is required in HTTP/1.1' }], 'The request has no Host header, which HTTP/1.1 requires.');

/** Every header of an error answer outside the pipeline: the renderer's, the request id, and the CORS headers an allowed Origin gets (exposing X-Request-ID and the error's own). */
function errorHeaders(error: ApiError, rendered: readonly (readonly [string, string])[], requestId: string, origin: string | undefined, isAllowed: OriginCheck): [string, string][] {
  const headers: [string, string][] = [...rendered.map(([name, value]): [string, string] => [name, value]), ['Vary', 'Origin'], ['X-Request-ID', requestId]];
  if (origin === undefined || !isAllowed(origin)) return headers;
  return [
    ...headers,
    ['Access-Control-Allow-Origin', origin],
    ['Access-Control-Allow-Credentials', 'true'],
    ['Access-Control-Expose-Headers', ['X-Request-ID', ...Object.keys(error.headers)].join(', ')],
  ];
}

/** Writes the uniform error on a response the pipeline never saw, and closes the connection. */
function answer(req: IncomingMessage, res: ServerResponse, error: ApiError, isAllowed: OriginCheck): void {
  const requestId = randomUUID();
  const rendered = renderError(error, requestId);
  res.statusCode = rendered.status;
  for (const [name, value] of errorHeaders(error, rendered.headers, requestId, req.headers.origin, isAllowed)) res.setHeader(name, value);
  res.setHeader('Connection', 'close');
  res.end(rendered.body);
}

/** The uniform error as raw HTTP/1.1 bytes, for a socket without a response object (a parser refusal); the connection closes. */
export function rawAnswer(error: ApiError, origin: string | undefined, isAllowed: OriginCheck, requestId: string = randomUUID()): string {
  const rendered = renderError(error, requestId);
  const headers = [
    `HTTP/1.1 ${rendered.status} ${STATUS_CODES[rendered.status]}`,
    ...errorHeaders(error, rendered.headers, requestId, origin, isAllowed).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(rendered.body)}`,
    'Connection: close',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${rendered.body}`;
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
    socket.end(rawAnswer(connectNotSupported(), req.headers.origin, isAllowed));
  });
}
