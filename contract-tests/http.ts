/**
 * Sends a request case to the server under test and records the exchange; renders the request
 * as a minimal curl command (the token stays in $TOKEN, never printed).
 */
import type { RequestCase } from './cases.js';

/** How requests are sent: where, from which Origin, with which token. */
export interface Target {
  readonly baseUrl: string;
  readonly origin: string;
  /** undefined: no Authorization header on secured operations. */
  readonly token: string | undefined;
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
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  readonly json: unknown;
}

/** Fills the path template and appends the query string. */
export function urlOf(baseUrl: string, path: string, pathValues: Readonly<Record<string, string>>, query: Readonly<Record<string, string>>): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(pathValues[name] ?? ''));
  const search = new URLSearchParams(Object.entries(query)).toString();
  return `${baseUrl.replace(/\/$/, '')}${filled}${search ? `?${search}` : ''}`;
}

/** Builds the wire request for a case; `auth` false drops credentials, a string replaces them. */
export function requestFor(target: Target, c: RequestCase, auth: boolean | string = true, method = c.operation.method): SentRequest {
  const headers: Record<string, string> = { origin: target.origin, ...c.headers };
  const token = typeof auth === 'string' ? auth : auth ? target.token : undefined;
  if (c.operation.secured && token !== undefined) headers.authorization = `Bearer ${token}`;
  if (c.body !== undefined) headers['content-type'] = c.operation.requestBody?.contentType ?? 'application/json';
  return {
    method,
    url: urlOf(target.baseUrl, c.operation.path, c.path, c.query),
    headers,
    ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
  };
}

/** Sends a request and reads the whole response. */
export async function send(request: SentRequest): Promise<Exchange> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { request, status: response.status, headers: response.headers, text, json };
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A curl command that sends the same request. */
export function toCurl(request: SentRequest, token: string | undefined): string {
  const parts = ['curl -i', ...(request.method === 'GET' ? [] : [`-X ${request.method}`]), quote(request.url)];
  for (const [name, value] of Object.entries(request.headers)) {
    const shown = name === 'authorization' && token !== undefined ? value.replace(token, '$TOKEN') : value;
    parts.push(`-H ${name === 'authorization' && shown.includes('$TOKEN') ? `"${name}: ${shown}"` : quote(`${name}: ${shown}`)}`);
  }
  if (request.body !== undefined) parts.push(`--data-raw ${quote(request.body)}`);
  return parts.join(' ');
}
