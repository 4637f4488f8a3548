/**
 * Graceful shutdown of the HTTP server: stop accepting, let in-flight requests finish within a
 * bound, then run the caller's cleanup (closing the pool). Connections that go idle while
 * draining are closed so keep-alive clients do not hold the process open.
 */
import type { Server } from 'node:http';

/** How long in-flight requests may take before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** Marks responses sent while draining with `Connection: close`; call once, right after listen. */
export function closeConnectionsWhenDraining(server: Server, draining: () => boolean): void {
  server.on('request', (_req, res) => {
    if (draining()) res.setHeader('Connection', 'close');
  });
}

/** Closes the server and resolves once every connection is gone (at most graceMs later). */
export function drain(server: Server, graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
  return new Promise((resolve) => {
    // Closing on the next turn lets connections the loop already accepted be served, not reset.
    setImmediate(() => {
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close(() => {
        clearInterval(idle);
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
  });
}
