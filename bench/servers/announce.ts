/** Tells the benchmark runner, on stdout, which port a contender listens on. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Prints `ready <port>` once the server listens. */
export function announce(server: Server): void {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
}
