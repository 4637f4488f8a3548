/**
 * Graceful shutdown of the HTTP server: stop listening, let in-flight requests finish within a
 * bound, and close each connection after its last response (`Connection: close`). Every request
 * the server reads is either answered or not executed.
 *
 * Node's own server.close() also closes "idle" connections, and a connection that was accepted
 * but whose request has not been read yet counts as idle, so a client that had already connected
 * would see a reset. We stop the listener with net.Server's close instead, and:
 * - a connection that has not sent its first request yet is left open: its request is answered
 *   (with `Connection: close`) when it arrives;
 * - a keep-alive connection idle after a response is half-closed; a request already on its way
 *   on it cannot be answered any more, so it is not executed: the connection is destroyed unread
 *   and the client sees a reset of a request that never ran (safe to retry);
 * - a request pipelined behind a response that closes the connection is not executed either.
 * What no server can prevent: connections still in the kernel's accept queue when the listener
 * closes are reset by the kernel; this process never saw them, so they had no effect.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net from 'node:net';
import { SHUTDOWN_GRACE_MS } from '../config/http.js';

/** Drains a server; create it right after the server is created, so it sees every request. */
export interface Drainer {
  readonly draining: boolean;
  /** Connections this process accepted since it started. */
  readonly accepted: number;
  /** Responses this process finished writing since it started. */
  readonly answered: number;
  /** Stops accepting and resolves once every connection is gone (at most graceMs later). */
  drain(graceMs?: number): Promise<void>;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

interface Connection {
  /** Responses started and not yet closed. */
  readonly pending: Set<ServerResponse>;
  /** Requests received on it. */
  served: number;
  /** We half-closed it while draining: nothing more can be answered on it. */
  closing: boolean;
}

/**
 * Watches the server's connections and stands in front of its request listeners, so that while
 * draining a request that could no longer be answered never reaches the app.
 */
export function createDrainer(server: Server): Drainer {
  let draining = false;
  let accepted = 0;
  let answered = 0;
  const open = new Map<net.Socket, Connection>();
  const close = (socket: net.Socket, connection: Connection) => {
    connection.closing = true;
    socket.end();
  };
  server.on('connection', (socket: net.Socket) => {
    accepted++;
    open.set(socket, { pending: new Set(), served: 0, closing: false });
    socket.once('close', () => open.delete(socket));
  });

  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const connection = open.get(socket) ?? { pending: new Set<ServerResponse>(), served: 0, closing: false };
    open.set(socket, connection);
    if (draining && (connection.closing || connection.pending.size > 0 || !socket.writable)) {
      // No response could reach the client: do not run it. The reset tells the client it did not happen.
      return void socket.destroy();
    }
    connection.served++;
    connection.pending.add(res);
    if (draining) res.setHeader('Connection', 'close');
    res.once('finish', () => answered++);
    res.once('close', () => {
      connection.pending.delete(res);
      // Served, idle in keep-alive, and we are going away: close it now rather than at keepAliveTimeout.
      if (draining && connection.pending.size === 0) close(socket, connection);
    });
    for (const listener of listeners) listener.call(server, req, res);
  });

  return {
    get draining() {
      return draining;
    },
    get accepted() {
      return accepted;
    },
    get answered() {
      return answered;
    },
    drain(graceMs = SHUTDOWN_GRACE_MS) {
      draining = true;
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        net.Server.prototype.close.call(server, () => {
          clearTimeout(force);
          resolve();
        });
        for (const [socket, connection] of open) {
          // A connection that has not sent a request yet will: leave it open and answer that request.
          if (connection.pending.size === 0 && connection.served > 0) close(socket, connection);
          for (const res of connection.pending) if (!res.headersSent) res.setHeader('Connection', 'close');
        }
      });
    },
  };
}
