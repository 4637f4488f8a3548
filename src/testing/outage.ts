/**
 * Real database outages on 127.0.0.1 for tests: a port nothing listens on (connection refused)
 * and a server that accepts connections and never answers (connect timeout).
 */
import { createServer, type Server, type Socket } from 'node:net';
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

/** A port that was free a moment ago and is now closed: connections are refused. */
export async function refusedPort(): Promise<Outage> {
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
