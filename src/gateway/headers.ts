/**
 * The headers that cross the gateway. Hop-by-hop headers (RFC 9110 §7.6.1, and every header the
 * Connection header names) are removed in both directions; upstream, the caller's identity is
 * only ever the one the gateway verified, and the answer loses the upstream's own CORS headers.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** RFC 9110 §7.6.1's hop-by-hop fields, plus Proxy-Connection and Expect (per hop, and refused by undici). */
const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'te', 'transfer-encoding', 'upgrade', 'trailer', 'expect', 'http2-settings']);

/** What the gateway adds and removes on the way upstream (built once from configuration). */
export interface RequestHeaderRules {
  /** Lower-cased header carrying the verified `sub` (UPSTREAM_USER_HEADER). */
  readonly userHeader: string;
  /** Claim name → lower-cased header carrying it. */
  readonly claimHeaders: ReadonlyMap<string, string>;
  /** Every lower-cased header name the gateway sets from the token (the claim headers'). */
  readonly identityHeaders: ReadonlySet<string>;
  readonly forwardAuthorization: boolean;
}

/** The header a claim travels in: `X-User-` and the claim, e.g. `email` → `x-user-email`. */
export const claimHeaderName = (claim: string) => `x-user-${claim.toLowerCase().replace(/_/g, '-')}`;

/** The names the Connection header lists, lower-cased. */
function connectionNamed(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value.join(',') : value).split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
}

const TRACEPARENT = /^[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** A W3C traceparent for a request that came without a valid one (a new trace, sampled). */
export function newTraceparent(): string {
  // randomUUID draws from a cached entropy pool: far cheaper per request than randomBytes.
  const trace = randomUUID().replace(/-/g, '');
  return `00-${trace}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01`;
}

/** The identity the gateway verified: the token's `sub` and its claims. */
export interface Caller {
  readonly sub: string | undefined;
  readonly claims: Readonly<Record<string, unknown>> | undefined;
}

/** The request headers sent upstream. */
export function upstreamRequestHeaders(req: IncomingMessage, rules: RequestHeaderRules, requestId: string, caller: Caller): Record<string, string | string[]> {
  const incoming: IncomingHttpHeaders = req.headers;
  const dropped = new Set(connectionNamed(incoming.connection));
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || dropped.has(name) || name === 'host') continue;
    // Identity and provenance are the gateway's to state: a client's own copies never go upstream.
    if (name === rules.userHeader || rules.identityHeaders.has(name) || name.startsWith('x-forwarded-') || name === 'forwarded') continue;
    if (name === 'authorization' && !rules.forwardAuthorization) continue;
    out[name] = value;
  }
  const socket = req.socket as TLSSocket;
  out['x-forwarded-for'] = socket.remoteAddress ?? '';
  out['x-forwarded-proto'] = socket.encrypted ? 'https' : 'http';
  if (incoming.host !== undefined) out['x-forwarded-host'] = incoming.host;
  out['x-request-id'] = requestId;
  const traceparent = incoming.traceparent;
  if (typeof traceparent !== 'string' || !TRACEPARENT.test(traceparent)) {
    out.traceparent = newTraceparent();
    delete out.tracestate;
  }
  if (caller.sub !== undefined) out[rules.userHeader] = caller.sub;
  for (const [claim, header] of rules.claimHeaders) {
    const value = caller.claims?.[claim];
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    // A header value cannot hold control characters; a claim that has them is not sent.
    if (!/[\u0000-\u001f\u007f]/.test(text)) out[header] = encodeURI(text) === text ? text : encodeURIComponent(text);
  }
  return out;
}

/** Whether an upstream response header is kept: not hop-by-hop, not CORS, not the request id (the gateway's wins). */
export function responseHeaderFilter(headers: Record<string, string | string[] | undefined>): (name: string) => boolean {
  const dropped = new Set(connectionNamed(headers.connection));
  return (name) => !HOP_BY_HOP.has(name) && !dropped.has(name) && !name.startsWith('access-control-') && name !== 'x-request-id' && name !== 'vary';
}

/** The Vary the answer carries: the gateway's (Origin) plus the upstream's, without duplicates. */
export function mergedVary(ours: string | number | string[] | undefined, theirs: string | string[] | undefined): string | undefined {
  const names = [ours, theirs].flat().filter((v) => v !== undefined).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return seen.size === 0 ? undefined : [...seen.values()].join(', ');
}
