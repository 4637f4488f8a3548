/**
 * The client's address for `by: ip` limits. With TRUST_PROXY=0 it is the socket's peer; with N,
 * the Nth address from the right of X-Forwarded-For (the one the outermost trusted proxy saw), so
 * a client cannot choose its own key by sending the header itself.
 */
import type { IncomingMessage } from 'node:http';

/** The address a request's budget is keyed by, trusting `hops` proxies in front of this server. */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (hops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((a) => a.trim()).filter((a) => a !== '');
  // chain + peer: the last `hops` entries were added by our proxies; the one before them is the client.
  const all = [...chain, peer];
  return all[Math.max(0, all.length - 1 - hops)]!;
}
