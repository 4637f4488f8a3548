/** Tells the benchmark runner, on stdout, which port a contender listens on. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Prints `ready <port> [<start-up ms>]` once the server listens. */
export function announce(server: Server, startupMs?: number): void {
  const port = (server.address() as AddressInfo).port;
  process.stdout.write(startupMs === undefined ? `ready ${port}\n` : `ready ${port} ${Math.round(startupMs)}\n`);
}
