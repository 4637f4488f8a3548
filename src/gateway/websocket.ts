/**
 * WebSocket tunnels for path items marked `x-specgate-websocket: true`: the last stage of an
 * upgrade (src/pipeline/upgrade.ts), reached only after the Origin, the route, the rate limits
 * and every security scheme the operation allows have accepted it. The upgrade is sent to the
 * upstream with the verified caller as UPSTREAM_USER_HEADER; its 101 goes back to the client and
 * the two sockets are piped together. A refusal by the upstream is 502 in the uniform body.
 * When the server drains, every open tunnel is closed with 1001 Going Away on both sides.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TOKEN_PROTOCOL, TOKEN_QUERY, upgradeToken } from '../auth/bearer.js';
import type { Contract } from '../contract/spec.js';
import { badGateway } from '../errors.js';
import type { LastStageFactory } from '../pipeline/last-stage.js';
import { upgradeHead } from '../pipeline/upgrade.js';
import { stateOf } from '../pipeline/state.js';
import { refuseUnderscoreHeaders, requestHeaderRules, upstreamRequestHeaders } from './headers.js';
import { upstreamPath } from './upstream-path.js';

/** The path-item extension that accepts WebSocket upgrades. */
export const WEBSOCKET_EXTENSION = 'x-specgate-websocket';

/** The operationIds of the GET operations whose path item accepts WebSocket upgrades. */
export function websocketOperations(contract: Contract): Set<string> {
  return new Set(contract.operations.filter((op) => op.method === 'get' && contract.document.paths[op.path][WEBSOCKET_EXTENSION] === true).map((op) => op.operationId));
}

/** A close frame with code 1001 (Going Away): unmasked from a server, masked from a client (RFC 6455 §5.3). */
function goingAway(masked: boolean): Buffer {
  const payload = Buffer.from([0x03, 0xe9]);
  if (!masked) return Buffer.concat([Buffer.from([0x88, 0x02]), payload]);
  const mask = randomBytes(4);
  return Buffer.concat([Buffer.from([0x88, 0x82]), mask, Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!))]);
}

/** The tunnel as an upgrade's last stage, for the WebSocket operations of `byOperation` (operationId → upstream base URL). */
export function websocketTunnel(byOperation: ReadonlyMap<string, string>): LastStageFactory {
  return ({ contract, config }) => {
    const answers = new Set([...websocketOperations(contract)].filter((id) => byOperation.has(id)));
    const open = new Set<readonly [Duplex, Duplex]>();
    const rules = requestHeaderRules(config.upstream, config.limits.trustProxy);
    return {
      name: 'websocket tunnel',
      answers,
      stage: function websocketTunnelStage(req, res, next) {
        const state = stateOf(res);
        const op = state.operation!;
        const base = new URL(byOperation.get(op.operationId)!);
        const query = new URLSearchParams(state.search ?? '');
        query.delete(TOKEN_QUERY);
        const rest = query.toString();
        const { token, protocols, viaProtocol } = upgradeToken(req);
        try {
          refuseUnderscoreHeaders(req, rules.underscoreHeaders);
        } catch (error) {
          return next(error);
        }
        const headers = upstreamRequestHeaders(req, rules, state.requestId, { sub: state.userId, claims: state.claims });
        delete headers['sec-websocket-protocol'];
        if (protocols.length > 0) headers['sec-websocket-protocol'] = protocols.join(', ');
        if (token !== undefined && config.upstream.forwardAuthorization) headers.authorization = `Bearer ${token}`;
        Object.assign(headers, { connection: 'Upgrade', upgrade: 'websocket', host: base.host });
        const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
        const outgoing = send(base, { method: 'GET', path: `${base.pathname.replace(/\/+$/, '')}${upstreamPath(op.path, state.pathParams)}${rest ? `?${rest}` : ''}`, headers, timeout: config.upstream.timeoutMs });
        outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('upstream websocket timed out'), { code: 'ETIMEDOUT' })));
        outgoing.on('error', (error) => next(badGateway(`The upstream for ${op.operationId} could not be reached.`, error)));
        outgoing.on('response', (answer) => {
          answer.resume();
          next(badGateway(`The upstream for ${op.operationId} refused the WebSocket (${answer.statusCode}).`));
        });
        outgoing.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
          outgoing.setTimeout(0);
          const socket = res.socket as Socket;
          const lines = ['HTTP/1.1 101 Switching Protocols'];
          for (let i = 0; i < answer.rawHeaders.length; i += 2) {
            const name = answer.rawHeaders[i]!.toLowerCase();
            if (!name.startsWith('access-control-') && name !== 'x-request-id') lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
          }
          // The client offered the token protocol; a browser needs one of its offers echoed back.
          if (viaProtocol && answer.headers['sec-websocket-protocol'] === undefined) lines.push(`Sec-WebSocket-Protocol: ${TOKEN_PROTOCOL}`);
          for (let i = 0; i < state.headers.length; i += 2) lines.push(`${state.headers[i]}: ${state.headers[i + 1]}`);
          // The 101 is written on the socket itself: the response object is done with, and counted as answered.
          res.statusCode = 101;
          res.detachSocket(socket);
          res.emit('finish');
          socket.write(`${lines.join('\r\n')}\r\n\r\n`);
          if (upstreamHead.length > 0) socket.write(upstreamHead);
          const head = upgradeHead(req);
          if (head.length > 0) upstreamSocket.write(head);
          const pair = [socket, upstreamSocket] as const;
          open.add(pair);
          upstreamSocket.on('error', () => socket.destroy());
          socket.on('close', () => {
            open.delete(pair);
            upstreamSocket.destroy();
          });
          upstreamSocket.on('close', () => socket.destroy());
          upstreamSocket.pipe(socket).pipe(upstreamSocket);
        });
        outgoing.end();
      },
      drain() {
        for (const [client, upstream] of open) {
          client.unpipe();
          upstream.unpipe();
          client.end(goingAway(false));
          upstream.end(goingAway(true));
          setTimeout(() => {
            client.destroy();
            upstream.destroy();
          }, 1000).unref();
        }
      },
    };
  };
}
