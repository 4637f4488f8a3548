/**
 * The headers that cross the gateway. Hop-by-hop headers (RFC 9110 §7.6.1, and every header the
 * Connection header names) are removed in both directions; upstream, the caller's identity is
 * only ever the one the gateway verified (non-ASCII values percent-encoded), provenance is the
 * gateway's to state (src/gateway/forwarded.ts), header names with `_` and method overrides never
 * pass, and the answer loses the upstream's own CORS headers. docs/gateway.md, "The edge security policy".
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { UpstreamConfig } from '../config/index.js';
import { validationError } from '../errors.js';
import { claimText } from '../pipeline/identity-check.js';
import { provenance } from './forwarded.js';

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
  /** What a header name with `_` gets: dropped, or the request refused (UPSTREAM_UNDERSCORE_HEADERS). */
  readonly underscoreHeaders: 'drop' | 'refuse';
  /** How many proxies of ours stand in front (TRUST_PROXY): whose X-Forwarded-* and Forwarded are believed. */
  readonly trustProxy: number;
}

/** The rules for a configuration: the forwarder's and the WebSocket tunnel's. */
export function requestHeaderRules(config: UpstreamConfig, trustProxy: number): RequestHeaderRules {
  const claimHeaders = new Map(config.claimHeaders.map((claim) => [claim, claimHeaderName(claim)]));
  return {
    userHeader: config.userHeader.toLowerCase(),
    claimHeaders,
    identityHeaders: new Set(claimHeaders.values()),
    forwardAuthorization: config.forwardAuthorization,
    underscoreHeaders: config.underscoreHeaders,
    trustProxy,
  };
}

/**
 * Method-override headers: frameworks that honour them (Rails, Laravel, Express's method-override)
 * would run another method than the one the contract matched and authorised; never forwarded.
 */
const METHOD_OVERRIDES = new Set(['x-http-method-override', 'x-http-method', 'x-method-override']);

/** The header naming, lower-cased, the identity headers whose value is percent-encoded UTF-8. */
export const ENCODED_HEADERS = 'x-specgate-percent-encoded';

/** The header a claim travels in: `X-User-` and the claim, e.g. `email` → `x-user-email`. */
export const claimHeaderName = (claim: string) => `x-user-${claim.toLowerCase().replace(/_/g, '-')}`;

/** The names the Connection header lists, lower-cased. */
export function connectionNamed(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value.join(',') : value).split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
}

const TRACEPARENT = /^[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** A UUID's 32 hex digits, without its dashes. */
const hexOf = (uuid: string) => uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24);

/** A W3C traceparent for a request that came without a valid one (a new trace, sampled). */
export function newTraceparent(): string {
  // randomUUID draws from a cached entropy pool: far cheaper per request than randomBytes.
  return `00-${hexOf(randomUUID())}-${hexOf(randomUUID()).slice(0, 16)}-01`;
}

/** The identity the gateway verified: the token's `sub` and its claims. */
export interface Caller {
  readonly sub: string | undefined;
  readonly claims: Readonly<Record<string, unknown>> | undefined;
}

/** Throws 400 validation_error naming the headers with `_` in their name, when UPSTREAM_UNDERSCORE_HEADERS=refuse. */
export function refuseUnderscoreHeaders(req: IncomingMessage, mode: 'drop' | 'refuse'): void {
  if (mode !== 'refuse') return;
  const named = Object.keys(req.headers).filter((name) => name.includes('_'));
  if (named.length === 0) return;
  throw validationError(
    named.map((name) => ({ location: 'header' as const, path: name, message: 'has "_" in its name, which many servers read as "-" (another header)' })),
    'Header names with "_" are not accepted: servers behind the gateway may read them as other headers.',
  );
}

/**
 * A verified value as a header value: printable ASCII without surrounding spaces as it is, anything
 * else percent-encoded as UTF-8 (and named in X-Specgate-Percent-Encoded). Control characters never
 * get here: the authenticate stage refused them (src/pipeline/identity-check.ts).
 */
const PLAIN = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;

const NO_NAMES: ReadonlySet<string> = new Set();

/**
 * The request headers sent upstream. With `body` (the forwarder), the bytes go as the body stage
 * left them: Content-Encoding is dropped (the stage undid it) and Content-Length states their length,
 * none when there are none; without it (the WebSocket tunnel) both pass as sent.
 */
export function upstreamRequestHeaders(req: IncomingMessage, rules: RequestHeaderRules, requestId: string, caller: Caller, body?: { readonly bytes: Buffer | undefined }): Record<string, string | string[]> {
  const incoming: IncomingHttpHeaders = req.headers;
  const dropped = incoming.connection === undefined ? NO_NAMES : new Set(connectionNamed(incoming.connection));
  const out: Record<string, string | string[]> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || name === 'host' || HOP_BY_HOP.has(name) || dropped.has(name)) continue;
    // Identity and provenance are the gateway's to state: a client's own copies never go upstream.
    if (name === rules.userHeader || rules.identityHeaders.has(name) || name.startsWith('x-forwarded-') || name === 'forwarded' || name === ENCODED_HEADERS) continue;
    // `X_User_Id` is `X-User-Id` to WSGI and CGI servers; a method override changes what the contract authorised.
    if (name.includes('_') || METHOD_OVERRIDES.has(name)) continue;
    if (name === 'authorization' && !rules.forwardAuthorization) continue;
    if (body !== undefined && (name === 'content-encoding' || name === 'content-length')) continue;
    out[name] = value;
  }
  if (body?.bytes !== undefined) out['content-length'] = String(body.bytes.length);
  const from = provenance(req, rules.trustProxy);
  out['x-forwarded-for'] = from.forwardedFor;
  out['x-forwarded-proto'] = from.proto;
  if (from.host !== undefined) out['x-forwarded-host'] = from.host;
  out.forwarded = from.forwarded;
  out['x-request-id'] = requestId;
  const traceparent = incoming.traceparent;
  if (typeof traceparent !== 'string' || !TRACEPARENT.test(traceparent)) {
    out.traceparent = newTraceparent();
    if (out.tracestate !== undefined) delete out.tracestate;
  }
  if (caller.sub === undefined && rules.claimHeaders.size === 0) return out;
  const encoded: string[] = [];
  const put = (header: string, text: string) => {
    if (PLAIN.test(text)) out[header] = text;
    else {
      out[header] = encodeURIComponent(text);
      encoded.push(header);
    }
  };
  if (caller.sub !== undefined) put(rules.userHeader, caller.sub);
  for (const [claim, header] of rules.claimHeaders) {
    const value = caller.claims?.[claim];
    if (value !== undefined && value !== null) put(header, claimText(value));
  }
  if (encoded.length > 0) out[ENCODED_HEADERS] = encoded.join(', ');
  return out;
}

/** Whether an upstream response header is kept: not hop-by-hop, not CORS, not the request id (the gateway's wins). */
export function responseHeaderFilter(headers: Record<string, string | string[] | undefined>): (name: string) => boolean {
  const dropped = new Set(connectionNamed(headers.connection));
  return (name) => keptResponseHeader(name, dropped);
}

/** Whether an upstream response header (lower-cased) is kept, given the names its Connection header lists. */
export function keptResponseHeader(name: string, dropped: ReadonlySet<string>): boolean {
  return !HOP_BY_HOP.has(name) && !dropped.has(name) && !name.startsWith('access-control-') && name !== 'x-request-id' && name !== 'vary';
}

/** The Vary the answer carries: the gateway's (Origin) plus the upstream's, without duplicates. */
export function mergedVary(ours: string | number | string[] | undefined, theirs: string | string[] | undefined): string | undefined {
  const names = [ours, theirs].flat().filter((v) => v !== undefined).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return seen.size === 0 ? undefined : [...seen.values()].join(', ');
}
