/**
 * A WebSocket-to-TCP proxy for the Neon driver in tests: each WebSocket connection is piped to
 * the 127.0.0.1 port named in its `?address=host:port` (what neonConfig.wsProxy appends), so the
 * real @neondatabase/serverless driver talks to the local PostgreSQL server. Loopback only.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A running proxy and the neonConfig.wsProxy value that reaches it. */
export interface WsProxy {
  /** host:port/path, the form neonConfig.wsProxy and NEON_WS_PROXY take. */
  readonly address: string;
  /** WebSocket connections piped so far (shows the driver really went through the proxy). */
  readonly connections: number;
  close(): Promise<void>;
}

function targetOf(url: string | undefined): number | undefined {
  const address = new URL(url ?? '/', 'ws://proxy').searchParams.get('address') ?? '';
  const match = /^(127\.0\.0\.1|localhost):(\d+)$/.exec(address);
  return match ? Number(match[2]) : undefined;
}

function pipe(socket: WebSocket, port: number) {
  const tcp = net.connect(port, '127.0.0.1');
  const queued: Buffer[] = [];
  tcp.on('connect', () => {
    for (const chunk of queued.splice(0)) tcp.write(chunk);
  });
  socket.on('message', (data: Buffer) => (tcp.connecting ? queued.push(data) : tcp.write(data)));
  tcp.on('data', (chunk) => socket.send(chunk));
  tcp.on('error', () => socket.terminate());
  tcp.on('close', () => socket.close());
  socket.on('close', () => tcp.destroy());
  socket.on('error', () => tcp.destroy());
}

/** Starts the proxy on an ephemeral 127.0.0.1 port. */
export async function startWsProxy(): Promise<WsProxy> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  let connections = 0;
  wss.on('connection', (socket, request) => {
    connections++;
    const port = targetOf(request.url);
    if (port === undefined) socket.close(1008, 'address must be a 127.0.0.1 port');
    else pipe(socket, port);
  });
  const { port } = wss.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}/v1`,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
