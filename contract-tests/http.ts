/**
 * Sends a request case to the server under test with node:http(s) (never normalising `.`/`..`,
 * taking any status including 407, bounded by a timeout) and records the exchange; a transport
 * error is an exchange too (status 0). Renders the request as a minimal curl command
 * (credentials stay in $TOKEN, never printed).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ParameterValue, RequestCase } from './cases.js';
import type { Operation, SchemeUse } from './spec.js';

/** The credentials a run has, one per kind of scheme. */
export interface Credentials {
  /** A bearer token (http bearer, oauth2, openIdConnect). */
  readonly bearer?: string;
  /** `user:password` for http basic. */
  readonly basic?: string;
  /** The key for apiKey schemes (sent where each scheme says). */
  readonly apiKey?: string;
}

/** How requests are sent: where, from which Origin, with which credentials. */
export interface Target {
  readonly baseUrl: string;
  readonly origin: string;
  /** A bearer token; undefined: none (kept for callers that only have one). */
  readonly token: string | undefined;
  readonly credentials?: Credentials;
  /** Milliseconds one request may take (default 10 s). */
  readonly requestTimeoutMs?: number;
}

/** What was sent, as the wire saw it. */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** One request and its response. */
export interface Exchange {
  readonly request: SentRequest;
  /** 0 when no response came (the connection failed or timed out). */
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  readonly json: unknown;
  /** Why no response came, when status is 0. */
  readonly transportError?: string;
}

/** A path segment value on the wire: percent-encoded, and `.`/`..` encoded too so no URL handling removes them. */
export const encodePathValue = (value: string) => encodeURIComponent(value).replace(/\./g, '%2E');

/** Fills the path template and appends the query string (a list repeats its name). */
export function urlOf(baseUrl: string, path: string, pathValues: Readonly<Record<string, string>>, query: Readonly<Record<string, ParameterValue>>): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodePathValue(pathValues[name] ?? ''));
  const search = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : v.map((item) => [k, item])))).toString();
  return `${baseUrl.replace(/\/$/, '')}${filled}${search ? `?${search}` : ''}`;
}

const credentialsOf = (target: Target): Credentials => ({ ...(target.token !== undefined ? { bearer: target.token } : {}), ...target.credentials });

const has = (c: Credentials, use: SchemeUse) =>
  (use.kind === 'bearer' && c.bearer !== undefined) || (use.kind === 'basic' && c.basic !== undefined) || (use.kind === 'apiKey' && c.apiKey !== undefined);

/** The security alternative the run's credentials satisfy (the first), or undefined. */
export function alternativeFor(op: Operation, target: Target): readonly SchemeUse[] | undefined {
  const c = credentialsOf(target);
  return op.security.find((alternative) => alternative.length > 0 && alternative.every((use) => has(c, use)));
}

/** Puts credentials on a request: `auth` true uses the run's, false none, a string replaces each with that text. */
function authorise(op: Operation, target: Target, auth: boolean | string, headers: Record<string, string>, query: Record<string, ParameterValue>): void {
  if (!op.secured || auth === false) return;
  const c = credentialsOf(target);
  const uses = alternativeFor(op, target) ?? (c.bearer !== undefined ? [{ name: 'bearer', kind: 'bearer', scopes: [] } as SchemeUse] : []);
  const cookies: string[] = [];
  for (const use of uses) {
    const secret = typeof auth === 'string' ? auth : use.kind === 'bearer' ? c.bearer : use.kind === 'basic' ? c.basic : c.apiKey;
    if (secret === undefined) continue;
    if (use.kind === 'bearer') headers.authorization = `Bearer ${secret}`;
    else if (use.kind === 'basic') headers.authorization = `Basic ${typeof auth === 'string' ? secret : Buffer.from(secret).toString('base64')}`;
    else if (use.kind === 'apiKey' && use.parameter) {
      if (use.in === 'header') headers[use.parameter.toLowerCase()] = secret;
      else if (use.in === 'query') query[use.parameter] = secret;
      else cookies.push(`${use.parameter}=${secret}`);
    }
  }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
}

/** Builds the wire request for a case; `auth` false drops credentials, a string replaces them. */
export function requestFor(target: Target, c: RequestCase, auth: boolean | string = true, method = c.operation.method): SentRequest {
  const headers: Record<string, string> = { origin: target.origin, ...c.headers };
  const query: Record<string, ParameterValue> = { ...c.query };
  authorise(c.operation, target, auth, headers, query);
  const body = method === 'GET' || method === 'HEAD' ? undefined : c.body;
  if (body !== undefined) headers['content-type'] = c.operation.requestBody?.contentType ?? 'application/json';
  return {
    method,
    url: urlOf(target.baseUrl, c.operation.path, c.path, query),
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

const MAX_BODY = 8 * 1024 * 1024;

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      try {
        headers.append(name, v);
      } catch {
        // a value Headers cannot hold (outside Latin-1) is left out
      }
    }
  }
  return headers;
}

/** Sends a request and reads the whole response (at most 8 MiB); never throws. */
export function send(request: SentRequest, timeoutMs = 10_000): Promise<Exchange> {
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const done = (x: Omit<Exchange, 'request'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ request, ...x });
    };
    const failed = (reason: string) => done({ status: 0, headers: new Headers(), text: '', json: undefined, transportError: reason });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return failed(`not a URL: ${request.url}`);
    }
    // The path as written (URL parsing would resolve `.`/`..`; the values are encoded already).
    const path = request.url.slice(request.url.indexOf('/', url.protocol.length + 2)) || '/';
    const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
    timer = setTimeout(() => {
      failed(`no complete response within ${(timeoutMs / 1000).toFixed(1)}s`);
      req.destroy();
    }, timeoutMs);
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    let req: ReturnType<typeof httpRequest>;
    try {
      req = make({ protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, method: request.method, path, headers });
    } catch (error) {
      clearTimeout(timer);
      return failed(`the request could not be sent: ${(error as Error).message}`);
    }
    req.on('error', (error) => failed(`${(error as NodeJS.ErrnoException).code ?? 'error'}: ${error.message}`));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          failed(`the response body is over ${MAX_BODY} bytes`);
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => failed(`the response broke off: ${error.message}`));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        done({ status: res.statusCode ?? 0, headers: toHeaders(res.headers), text, json });
      });
    });
    req.end(request.body);
  });
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The secrets a target sends, longest first (what toCurl hides). */
export function secretsOf(target: Target): string[] {
  const c = credentialsOf(target);
  return [c.bearer, c.apiKey, c.basic, c.basic === undefined ? undefined : Buffer.from(c.basic).toString('base64')]
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .sort((a, b) => b.length - a.length);
}

/** A curl command that sends the same request (`--path-as-is` keeps `.`/`..`; HEAD is `-I`); every secret shows as $TOKEN. */
export function toCurl(request: SentRequest, secrets: string | undefined | readonly string[]): string {
  const hidden = (typeof secrets === 'string' ? [secrets] : (secrets ?? [])).filter((s) => s.length > 0);
  const hide = (text: string) => hidden.reduce((t, s) => t.split(s).join('$TOKEN'), text);
  const method = request.method === 'GET' ? [] : request.method === 'HEAD' ? ['-I'] : [`-X ${request.method}`];
  const url = hide(request.url);
  const parts = ['curl -i', ...(/\/\.\.?(\/|$|\?)/.test(url) ? ['--path-as-is'] : []), ...method, url.includes('$TOKEN') ? `"${url}"` : quote(url)];
  for (const [name, value] of Object.entries(request.headers)) {
    const shown = hide(value);
    parts.push(`-H ${shown.includes('$TOKEN') ? `"${name}: ${shown.replace(/(["\\`])/g, '\\$1')}"` : quote(`${name}: ${shown}`)}`);
  }
  if (request.body !== undefined) parts.push(`--data-raw ${quote(request.body)}`);
  return parts.join(' ');
}
