/**
 * WebSocket tunnels for path items marked `x-specgate-websocket: true`. An Upgrade is accepted only
 * from an Origin the CORS policy allows (or none: not a browser), with a bearer token the
 * operation's security accepts — sent as the `Sec-WebSocket-Protocol` pair `bearer, <token>` (a
 * browser cannot set Authorization on a WebSocket) or the `access_token` query parameter — and
 * then tunnelled to the upstream with the verified caller as UPSTREAM_USER_HEADER. A refused
 * upgrade gets the uniform Error body (404, 403, 401, 502) and the socket closes, before any upgrade.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import type { VerifiedCaller, TokenVerifier } from '../auth/verifier.js';
import type { Config } from '../config/index.js';
import type { Contract } from '../contract/spec.js';
import { ApiError, authenticationError, badGateway, notFound } from '../errors.js';
import { rawAnswer } from '../bare-answers.js';
import { describeError } from '../log-safe.js';
import type { Logger } from '../logger.js';
import { originCheck } from '../pipeline/cors.js';
import { routeIndex } from '../pipeline/route.js';
import { toApiError } from '../pipeline/translate-error.js';
import { claimHeaderName, upstreamRequestHeaders } from './headers.js';

/** The path-item extension that accepts WebSocket upgrades. */
export const WEBSOCKET_EXTENSION = 'x-specgate-websocket';
/** The subprotocol that announces a token in the next Sec-WebSocket-Protocol entry. */
export const TOKEN_PROTOCOL = 'bearer';
/** The query parameter that may carry the token instead (RFC 6750 §2.3). */
export const TOKEN_QUERY = 'access_token';

/** What the upgrade handler is built from. */
export interface WebSocketDeps {
  readonly config: Config;
  readonly contract: Contract;
  readonly verifier: TokenVerifier;
  /** operationId → upstream base URL. */
  readonly byOperation: ReadonlyMap<string, string>;
  readonly log: Logger;
}

/** The token and the protocols left for the upstream, from Sec-WebSocket-Protocol or the query. */
function tokenOf(req: IncomingMessage, query: URLSearchParams): { token: string | undefined; protocols: string[]; viaProtocol: boolean } {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  const at = offered.findIndex((p) => p.toLowerCase() === TOKEN_PROTOCOL);
  if (at >= 0 && offered[at + 1] !== undefined) return { token: offered[at + 1], protocols: offered.filter((_, i) => i !== at && i !== at + 1), viaProtocol: true };
  return { token: query.get(TOKEN_QUERY) ?? undefined, protocols: offered, viaProtocol: false };
}

/** Creates the server's 'upgrade' listener; undefined when no path item accepts WebSockets. */
export function websocketUpgrade({ config, contract, verifier, byOperation, log }: WebSocketDeps): ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) | undefined {
  const sockets = contract.operations.filter((op) => op.method === 'get' && contract.document.paths[op.path][WEBSOCKET_EXTENSION] === true);
  if (sockets.length === 0) return undefined;
  const routes = routeIndex(contract);
  const isAllowed = originCheck(config.cors);
  const rules = {
    userHeader: config.upstream.userHeader.toLowerCase(),
    claimHeaders: new Map(config.upstream.claimHeaders.map((claim) => [claim, claimHeaderName(claim)])),
    identityHeaders: new Set(config.upstream.claimHeaders.map(claimHeaderName)),
    forwardAuthorization: config.upstream.forwardAuthorization,
  };

  return function upgrade(req, socket, head) {
    const requestIdHeader = req.headers['x-request-id'];
    const requestId = typeof requestIdHeader === 'string' && /^[\w.:-]{1,128}$/.test(requestIdHeader) ? requestIdHeader : randomUUID();
    const origin = req.headers.origin;
    const refuse = (error: ApiError) => {
      if (error.status >= 500) log.error({ requestId, error_type: error.errorType, cause: describeError(error.cause ?? error) }, 'websocket upgrade failed');
      socket.end(rawAnswer(error, origin, isAllowed, requestId));
    };
    socket.on('error', () => socket.destroy());
    const [path = '/', search = ''] = (req.url ?? '/').split('?');
    const found = routes.find('GET', path);
    if (!found || !sockets.includes(found.operation) || (req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return refuse(notFound('No WebSocket endpoint at this path.'));
    if (origin !== undefined && !isAllowed(origin)) return refuse(new ApiError(403, 'authorization_error', 'This Origin may not open a WebSocket here.'));
    const query = new URLSearchParams(search);
    const { token, protocols, viaProtocol } = tokenOf(req, query);
    const op = found.operation;
    const authenticated = async (): Promise<VerifiedCaller | undefined> => {
      if (op.security.length === 0 || op.security.some((requirement) => Object.keys(requirement).length === 0)) return undefined;
      if (token === undefined) throw authenticationError(`A bearer token is required: send it as Sec-WebSocket-Protocol "${TOKEN_PROTOCOL}, <token>" or the ${TOKEN_QUERY} query parameter.`);
      const caller = verifier.cached(token) ?? (await verifier(token));
      const granted = op.security.some((requirement) => Object.values(requirement).every((scopes) => scopes.every((s) => caller.scopes.includes(s))));
      if (!granted) throw new ApiError(403, 'authorization_error', 'The token lacks the scopes this WebSocket requires.', { 'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope"' });
      return caller;
    };
    authenticated().then(
      (caller) => tunnel(caller),
      (error: unknown) => refuse(toApiError(error)),
    );

    function tunnel(caller: VerifiedCaller | undefined) {
      const base = new URL(byOperation.get(op.operationId)!);
      query.delete(TOKEN_QUERY);
      const rest = query.toString();
      const headers = upstreamRequestHeaders(req, rules, requestId, { sub: caller?.userId, claims: caller?.claims });
      delete headers['sec-websocket-protocol'];
      if (protocols.length > 0) headers['sec-websocket-protocol'] = protocols.join(', ');
      if (token !== undefined && config.upstream.forwardAuthorization) headers.authorization = `Bearer ${token}`;
      Object.assign(headers, { connection: 'Upgrade', upgrade: 'websocket', host: base.host });
      const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
      const outgoing = send(base, { method: 'GET', path: `${base.pathname.replace(/\/+$/, '')}${path}${rest ? `?${rest}` : ''}`, headers, timeout: config.upstream.timeoutMs });
      outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('upstream websocket timed out'), { code: 'ETIMEDOUT' })));
      outgoing.on('error', (error) => refuse(badGateway(`The upstream for ${op.operationId} could not be reached.`, error)));
      outgoing.on('response', (res) => {
        res.resume();
        refuse(badGateway(`The upstream for ${op.operationId} refused the WebSocket (${res.statusCode}).`));
      });
      outgoing.on('upgrade', (res, upstreamSocket, upstreamHead) => {
        outgoing.setTimeout(0);
        const lines = ['HTTP/1.1 101 Switching Protocols'];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!;
          if (!name.toLowerCase().startsWith('access-control-') && name.toLowerCase() !== 'x-request-id') lines.push(`${name}: ${res.rawHeaders[i + 1]}`);
        }
        // The client offered the token protocol; a browser needs one of its offers echoed back.
        if (viaProtocol && res.headers['sec-websocket-protocol'] === undefined) lines.push(`Sec-WebSocket-Protocol: ${TOKEN_PROTOCOL}`);
        lines.push(`X-Request-ID: ${requestId}`);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (upstreamHead.length > 0) socket.write(upstreamHead);
        if (head.length > 0) upstreamSocket.write(head);
        upstreamSocket.on('error', () => socket.destroy());
        socket.on('close', () => upstreamSocket.destroy());
        upstreamSocket.on('close', () => socket.destroy());
        upstreamSocket.pipe(socket).pipe(upstreamSocket);
      });
      outgoing.end();
    }
  };
}
