/**
 * An upstream's `Location` and `Content-Location` that name its own origin (FastAPI's `url_for`,
 * Starlette's slash redirect: built from the Host the upstream was sent) are rewritten to the
 * gateway's public origin, the upstream's base path taken off — what nginx's `proxy_redirect
 * default` does — so an internal address never reaches a client. An absolute path under the base
 * path loses the base path; any other value is left as it is. Bodies are never rewritten (a DRF
 * pagination `next` still names the upstream: docs/gateway.md).
 */

/** The headers that name a URL of the answer. */
const URL_HEADERS = ['location', 'content-location'] as const;

/** Where the answer came from and where the client is. */
export interface RewriteContext {
  /** The upstream origin, as `new URL(base).origin` spells it. */
  readonly upstreamOrigin: string;
  /** The upstream base path without its trailing slash ('' for the root). */
  readonly basePath: string;
  /** The gateway's public origin for this request, undefined when the request's host is not well-formed (then a path is given). */
  readonly publicOrigin: string | undefined;
}

/** The path under the base path, or undefined when `path` is not under it. */
function underBase(path: string, basePath: string): string | undefined {
  if (basePath === '') return path;
  if (path === basePath) return '/';
  return path.startsWith(`${basePath}/`) || path.startsWith(`${basePath}?`) ? path.slice(basePath.length) : undefined;
}

/** One URL header value, rewritten when it names the upstream. */
export function rewrittenUrl(value: string, { upstreamOrigin, basePath, publicOrigin }: RewriteContext): string {
  if (value.startsWith('/') && !value.startsWith('//')) {
    const inner = basePath === '' ? undefined : underBase(value, basePath);
    return inner === undefined ? value : inner;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (url.origin !== upstreamOrigin) return value;
  const rest = `${url.pathname}${url.search}${url.hash}`;
  const path = underBase(rest, basePath) ?? rest;
  return publicOrigin === undefined ? path : `${publicOrigin}${path}`;
}

/** The answer's headers with Location and Content-Location rewritten (the same object when neither names the upstream). */
export function rewrittenLocations<H extends Readonly<Record<string, string | string[] | undefined>>>(headers: H, context: RewriteContext): H {
  let out: Record<string, string | string[] | undefined> | undefined;
  for (const name of URL_HEADERS) {
    const value = headers[name];
    if (typeof value !== 'string') continue;
    const rewritten = rewrittenUrl(value, context);
    if (rewritten !== value) (out ??= { ...headers })[name] = rewritten;
  }
  return (out ?? headers) as H;
}
