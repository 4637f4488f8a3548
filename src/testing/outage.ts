/**
 * Real database outages on 127.0.0.1 for tests: a port nothing listens on (connection refused)
 * and a server that accepts connections and never answers (connect timeout).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP endpoint standing in for a database that is down. */
export interface Outage {
  readonly url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const urlFor = (port: number) => `postgres://postgres@127.0.0.1:${port}/test`;

/** TCP port 2: below the ephemeral range, so no test's `listen(0)` can take it, and not one of the ports fetch refuses to use. */
const NEVER_LISTENED = 2;

/** Whether a connection to 127.0.0.1:port is refused. */
const refuses = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

/**
 * A port where connections are refused: port 2, which no test server can be given (a port freed
 * a moment ago could be handed to another test's server running in parallel), else such a port.
 */
export async function refusedPort(): Promise<Outage> {
  if (await refuses(NEVER_LISTENED)) return { url: urlFor(NEVER_LISTENED), close: async () => {} };
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: urlFor(port), close: async () => {} };
}

/** A server that accepts every connection and never sends a byte: clients time out. */
export async function blackHole(): Promise<Outage> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  const port = await listen(server);
  return {
    url: urlFor(port),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
