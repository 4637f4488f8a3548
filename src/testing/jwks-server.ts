/**
 * A JWKS endpoint the tests control, served by node:http on 127.0.0.1: swap the keys to rotate,
 * switch an outage on, and count the fetches the gateway made.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

/** A running JWKS endpoint. */
export interface TestJwksServer {
  /** The URL to configure as JWKS_URL. */
  readonly url: string;
  /** How many times the set was requested. */
  readonly hits: number;
  /** Replaces the published keys (a rotation). */
  setKeys(keys: readonly JWK[]): void;
  /** While down, every fetch gets a 503. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** Starts a JWKS endpoint publishing `keys`. */
export async function startJwksServer(keys: readonly JWK[] = []): Promise<TestJwksServer> {
  let published = keys;
  let down = false;
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    if (down || req.url !== '/.well-known/jwks.json') {
      res.writeHead(down ? 503 : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get hits() {
      return hits;
    },
    setKeys(next) {
      published = next;
    },
    setDown(next) {
      down = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
