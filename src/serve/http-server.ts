/**
 * The node:http server the app runs in: the pipeline's listener (src/app.ts `mount`) is its only
 * request handler, with no framework between them. Node's parser accepts request heads up to 64 KiB, twice
 * the limit the head-limit stage enforces, so a head over 32 KiB still reaches the pipeline and
 * gets the uniform 431 with CORS. What Node's parser itself refuses (a head over 64 KiB, a request
 * that is not HTTP) is answered here in the uniform Error body too, with the CORS headers of the
 * request's Origin when it is allowed and can be read from what arrived.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { answerBareRequests, pendingOrigin, rawAnswer, requireHost } from './bare-answers.js';
import type { Config } from '../config/index.js';
import { headersTooLarge, notHttp, requestTimeout, type ApiError } from '../errors.js';
import { originCheck } from '../pipeline/cors.js';
import { HEAD_LIMIT, MAX_HEAD_BYTES } from '../pipeline/head-limit.js';
import { applyTimeouts, timeoutOptions } from './server-timeouts.js';

/** The largest request head Node's parser accepts, in bytes. */
export const PARSER_HEAD_LIMIT = 2 * MAX_HEAD_BYTES;

interface ParserError extends Error {
  code?: string;
  /** The bytes the parser was reading when it failed (Node's `clientError` contract). */
  rawPacket?: Buffer;
}

/** The Origin header in the bytes that arrived, if it is there (header names are case-insensitive). */
export function originIn(packet: Buffer | undefined): string | undefined {
  if (packet === undefined) return undefined;
  return /\r\norigin:[ \t]*([^\r\n]*?)[ \t]*\r\n/i.exec(packet.toString('latin1'))?.[1];
}

/** The uniform answer to a request Node's parser refused, as raw HTTP/1.1 (the connection closes). */
export function parserErrorResponse(error: ApiError, origin: string | undefined, isAllowed: (origin: string | undefined) => boolean): string {
  return rawAnswer(error, origin, isAllowed);
}

/** Whether a response can still be written on the socket: nothing of another response is under way. */
const canAnswer = (socket: Socket) => socket.writable && !(socket as Socket & { _httpMessage?: { headersSent: boolean } })._httpMessage?.headersSent;

/** Wraps the app (a node:http listener: mount(stages)) in an HTTP server, not yet listening; `cors` decides who may read a parser error; `timeouts` are the deadlines. */
export function createHttpServer(app: RequestListener, cors?: Config['cors'], timeouts?: Config['http']): Server {
  const isAllowed = cors ? originCheck(cors) : () => false;
  const server = applyTimeouts(createServer({ maxHeaderSize: PARSER_HEAD_LIMIT, requireHostHeader: false, ...timeoutOptions(timeouts) }, requireHost(app, isAllowed)), timeouts);
  answerBareRequests(server, isAllowed);
  server.on('clientError', (error: ParserError, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !canAnswer(socket)) return void socket.destroy();
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return void socket.end(rawAnswer(requestTimeout(), pendingOrigin(socket), isAllowed));
    const refusal = error.code === 'HPE_HEADER_OVERFLOW' ? headersTooLarge(HEAD_LIMIT) : notHttp();
    socket.end(parserErrorResponse(refusal, originIn(error.rawPacket), isAllowed));
  });
  return server;
}
