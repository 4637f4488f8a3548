/**
 * Where a request came from and which origin the client used, as the upstream is told (RFC 7239
 * `Forwarded`, and the de-facto `X-Forwarded-For/Host/Proto`) and as the gateway names itself when
 * it rewrites an upstream's `Location`. What a client sends in these headers is believed only when
 * TRUST_PROXY says that many proxies of ours stand in front (as for the rate limits'
 * src/limits/client-address.ts): then their chain is kept and ours appended; otherwise it is dropped.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** What the upstream is told about the request's origin, and the public origin the client used. */
export interface Provenance {
  /** X-Forwarded-For: the trusted chain, then the peer that connected to the gateway. */
  readonly forwardedFor: string;
  /** The host the client asked for (trusted X-Forwarded-Host, else Host). */
  readonly host: string | undefined;
  /** The scheme the client used (trusted X-Forwarded-Proto, else this connection's). */
  readonly proto: string;
  /** Forwarded: the trusted incoming elements, then this hop's `for=…;host=…;proto=…`. */
  readonly forwarded: string;
}

const joined = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : (value ?? ''));
const listOf = (value: string | string[] | undefined) => joined(value).split(',').map((v) => v.trim()).filter((v) => v !== '');

/** A host with an optional port, as the Host header's grammar allows (RFC 9110 §7.2): a name, IPv4 or [IPv6]. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const PROTO = /^https?$/i;
/** One comma-separated element of a Forwarded header, quoted strings kept whole. */
const ELEMENT = /(?:[^,"]|"(?:[^"\\]|\\.)*")+/g;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Whether a Host value is a well-formed host[:port] (what may be named in a rewritten Location). */
export const isWellFormedHost = (host: string | undefined): host is string => host !== undefined && HOST.test(host);

/** A Forwarded parameter value: a token as is, anything else quoted (RFC 7239 §4). */
const forwardedValue = (value: string) => (TOKEN.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`);

/** A node address as a Forwarded `for` value: IPv6 in brackets (RFC 7239 §6). */
const nodeName = (address: string) => (address.includes(':') ? `[${address}]` : address);

/** Where the last untrusted provenance on a connection is kept (a keep-alive connection's requests share it). */
const OWN = Symbol('specgate.provenance');

/** The request's provenance, believing the client's X-Forwarded-* and Forwarded only with `trustProxy` > 0. */
export function provenance(req: IncomingMessage, trustProxy: number): Provenance {
  const headers = req.headers;
  const socket = req.socket as TLSSocket & { [OWN]?: Provenance };
  const ownHost = headers.host;
  const trusted = trustProxy > 0;
  // Untrusted, it depends only on the connection and its Host: the last request's, when the Host is the same.
  const last = socket[OWN];
  if (!trusted && last !== undefined && last.host === ownHost) return last;
  const peer = socket.remoteAddress ?? 'unknown';
  const ownProto = socket.encrypted ? 'https' : 'http';
  // The last `trustProxy` entries were appended by our proxies; anything before them the client wrote.
  const chain = trusted ? listOf(headers['x-forwarded-for']).slice(-trustProxy) : [];
  const claimedHost = trusted ? listOf(headers['x-forwarded-host']).at(-1) : undefined;
  const claimedProto = trusted ? listOf(headers['x-forwarded-proto']).at(-1) : undefined;
  const host = claimedHost ?? ownHost;
  const proto = claimedProto !== undefined && PROTO.test(claimedProto) ? claimedProto.toLowerCase() : ownProto;
  const hop = [`for=${forwardedValue(nodeName(peer))}`, ...(ownHost === undefined ? [] : [`host=${forwardedValue(ownHost)}`]), `proto=${ownProto}`].join(';');
  const incoming = trusted ? (joined(headers.forwarded).match(ELEMENT) ?? []).map((e) => e.trim()).filter((e) => e !== '').slice(-trustProxy).join(', ') : '';
  const found = {
    forwardedFor: [...chain, peer].join(', '),
    host,
    proto,
    forwarded: incoming === '' ? hop : `${incoming}, ${hop}`,
  };
  if (!trusted) socket[OWN] = found;
  return found;
}

/** The gateway's public origin for this request (`https://api.example.com`), undefined when the host is not well-formed. */
export const publicOrigin = ({ host, proto }: Provenance): string | undefined => (isWellFormedHost(host) ? `${proto}://${host.toLowerCase()}` : undefined);
