/**
 * A TCP proxy the tests control, in front of the shared PostgreSQL server: `down()` closes the
 * listener and cuts every connection (clients get ECONNREFUSED, as if the server were stopped),
 * `up()` listens on the same port again. The real server is never touched.
 */
import net from 'node:net';

/** A controllable TCP proxy on 127.0.0.1. */
export interface TcpProxy {
  readonly port: number;
  /** Refuse new connections and cut the open ones. */
  down(): Promise<void>;
  /** Accept and forward again, on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy forwarding to 127.0.0.1:targetPort. */
export async function startTcpProxy(targetPort = 5432): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;

  const listen = async () => {
    const next = net.createServer((client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as net.AddressInfo).port;
    server = next;
  };

  const down = async () => {
    const current = server;
    server = undefined;
    for (const s of sockets) s.destroy();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    down,
    up: () => (server ? Promise.resolve() : listen()),
    close: down,
  };
}
