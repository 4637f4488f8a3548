/** Puts a test's node:http server on 127.0.0.1 and an ephemeral port, and takes it down again. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening test server: its base URL, and how to stop it (open connections included). */
export interface Listening {
  readonly url: string;
  stop(): Promise<void>;
}

/** Listens on 127.0.0.1:0 and resolves once the port is bound. */
export async function listenLocally(server: Server): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
