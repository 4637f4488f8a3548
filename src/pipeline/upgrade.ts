/**
 * WebSocket upgrades through the same stages as every request: the server's 'upgrade' event is
 * given a ServerResponse on the upgrading socket, so request id, metrics, CORS, route, rate limits
 * and authenticate run as they do for any request, and a refusal is the uniform error body with
 * CORS (the connection then closes). Browsers do not apply CORS to WebSockets, so an upgrade from
 * an Origin the policy does not allow is refused here (403). The last stage of an upgrade is the
 * tunnel (src/gateway/websocket.ts); a path that accepts no WebSocket is 404.
 */
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Config } from '../config/index.js';
import { notFound, originRefused } from '../errors.js';
import { compose } from './compose.js';
import { originCheck } from './cors.js';
import type { LastStage } from './last-stage.js';
import type { RequestStage } from './stage.js';
import { stateOf } from './state.js';
import { unanswered } from './unanswered.js';

/** The server's 'upgrade' listener. */
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

const heads = new WeakMap<IncomingMessage, Buffer>();

/** The bytes that arrived after an upgrade request's head (the tunnel sends them on). */
export const upgradeHead = (req: IncomingMessage): Buffer => heads.get(req) ?? Buffer.alloc(0);

/** The stage that refuses an upgrade from an Origin the CORS policy does not allow (no Origin: not a browser, allowed). */
export function upgradeOrigin(cors: Config['cors']): RequestStage {
  const isAllowed = originCheck(cors);
  return function upgradeOriginStage(req, _res, next) {
    const origin = req.headers.origin;
    next(origin !== undefined && !isAllowed(origin) ? originRefused() : undefined);
  };
}

/** The upgrade's last stage for the operations `tunnel` answers; any other path is 404. */
export function upgradeLast(tunnel: LastStage): RequestStage {
  return function upgradeLastStage(req, res, next) {
    const operation = stateOf(res).operation;
    if (operation === undefined || !tunnel.answers.has(operation.operationId)) return next(notFound('No WebSocket endpoint at this path.'));
    return tunnel.stage(req, res, next);
  };
}

/** The upgrade stages as the server's 'upgrade' listener; a refusal closes the connection once written. */
export function mountUpgrade(stages: readonly { readonly handlers: readonly import('./stage.js').StageFunction[] }[]): UpgradeListener {
  const run = compose(stages.flatMap((stage) => stage.handlers));
  return function specgateUpgrade(req, socket, head) {
    socket.on('error', () => socket.destroy());
    heads.set(req, head);
    const res = new ServerResponse(req);
    res.assignSocket(socket as Socket);
    res.shouldKeepAlive = false;
    res.once('finish', () => {
      if (res.statusCode !== 101) socket.end();
    });
    run(req, res, (error) => unanswered(res, error));
  };
}
