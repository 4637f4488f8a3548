/**
 * The security handler for `http`/`bearer` schemes (components.securitySchemes.bearerAuth):
 * reads `Authorization: Bearer <jwt>` and verifies it. On a WebSocket upgrade, where a browser
 * cannot set Authorization, the token may come as the `Sec-WebSocket-Protocol` pair
 * `bearer, <token>` or the `access_token` query parameter (RFC 6750 §2.3).
 */
import type { IncomingMessage } from 'node:http';
import { authenticationError } from '../errors.js';
import type { TokenVerifier, VerifiedCaller } from './verifier.js';

/**
 * A security handler: establishes the caller for one scheme or throws (or rejects with) a 401/403
 * ApiError. It may answer without a promise when it needs no I/O, as a cached token does.
 */
export type SecurityHandler = (req: IncomingMessage, scopes: readonly string[]) => VerifiedCaller | Promise<VerifiedCaller>;

/** The subprotocol that announces a token in the next Sec-WebSocket-Protocol entry. */
export const TOKEN_PROTOCOL = 'bearer';
/** The query parameter that may carry the token on a WebSocket upgrade instead. */
export const TOKEN_QUERY = 'access_token';

/** Whether the request asks to upgrade to a WebSocket. */
export const isWebSocketUpgrade = (req: IncomingMessage) => (req.headers.upgrade ?? '').toLowerCase() === 'websocket';

/** The token of a WebSocket upgrade, and the offered subprotocols left once the token pair is taken out. */
export function upgradeToken(req: IncomingMessage): { token: string | undefined; protocols: string[]; viaProtocol: boolean } {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  const at = offered.findIndex((p) => p.toLowerCase() === TOKEN_PROTOCOL);
  if (at >= 0 && offered[at + 1] !== undefined) return { token: offered[at + 1], protocols: offered.filter((_, i) => i !== at && i !== at + 1), viaProtocol: true };
  const search = (req.url ?? '').split('?')[1] ?? '';
  return { token: new URLSearchParams(search).get(TOKEN_QUERY) ?? undefined, protocols: offered, viaProtocol: false };
}

/** Creates the bearer-token security handler; a token in the verified-token cache is answered at once. */
export function bearerAuth(verify: TokenVerifier): SecurityHandler {
  return function bearerAuthHandler(req) {
    const header = req.headers.authorization;
    if ((header === undefined || header.trim() === '') && isWebSocketUpgrade(req)) {
      const { token } = upgradeToken(req);
      if (token === undefined) throw authenticationError(`A bearer token is required: send it as Sec-WebSocket-Protocol "${TOKEN_PROTOCOL}, <token>" or the ${TOKEN_QUERY} query parameter.`);
      return verify.cached(token) ?? verify(token);
    }
    if (header === undefined || header.trim() === '') throw authenticationError('Bearer token required.');
    const match = /^Bearer +([^ ]+) *$/i.exec(header);
    if (!match?.[1]) throw authenticationError('The Authorization header must be "Bearer <token>".');
    return verify.cached(match[1]) ?? verify(match[1]);
  };
}
