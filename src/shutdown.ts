/**
 * Graceful shutdown of the HTTP server: stop listening, let in-flight requests finish within a
 * bound, and close each connection after its last response (`Connection: close`).
 *
 * Node's own server.close() also closes "idle" connections, and a connection that was accepted
 * but whose request has not been read yet counts as idle, so a client that had already connected
 * would see a reset without a response. We stop the listener with net.Server's close instead and
 * close only connections that have been answered and sit idle in keep-alive.
 * What no server can prevent: connections still in the kernel's accept queue when the listener
 * closes are reset by the kernel; this process never saw them, so they had no effect (safe to retry).
 */
import type { Server, ServerResponse } from 'node:http';
import net from 'node:net';

/** How long in-flight requests may take before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** Drains a server; create it right after listen so it sees every request. */
export interface Drainer {
  readonly draining: boolean;
  /** Connections this process accepted since it started (each one is answered or left idle, never cut mid-request). */
  readonly accepted: number;
  /** Stops accepting and resolves once every connection is gone (at most graceMs later). */
  drain(graceMs?: number): Promise<void>;
}

/** Watches the server's requests so that drain() knows which connections are mid-request. */
export function createDrainer(server: Server): Drainer {
  let draining = false;
  let accepted = 0;
  const open = new Map<net.Socket, Set<ServerResponse>>();
  server.on('connection', (socket: net.Socket) => {
    accepted++;
    socket.once('close', () => open.delete(socket));
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    const pending = open.get(socket) ?? new Set<ServerResponse>();
    open.set(socket, pending);
    pending.add(res);
    if (draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      pending.delete(res);
      // Served, idle in keep-alive, and we are going away: close it now rather than at keepAliveTimeout.
      if (draining && pending.size === 0) socket.end();
    });
  });

  return {
    get draining() {
      return draining;
    },
    get accepted() {
      return accepted;
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
        for (const [socket, pending] of open) {
          if (pending.size === 0) socket.end();
          for (const res of pending) if (!res.headersSent) res.setHeader('Connection', 'close');
        }
      });
    },
  };
}
