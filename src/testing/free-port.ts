/** A free TCP port on 127.0.0.1 for a server a test starts in another process (uvicorn, nginx, redis-server). */
import { createServer, type AddressInfo } from 'node:net';

/** Asks the kernel for a free port on 127.0.0.1 and gives it back. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
