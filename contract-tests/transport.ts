/**
 * Sends one request to the server under test with node:http(s), not fetch: the path goes out as
 * written (no `.`/`..` resolution), any status is an answer (fetch turns a 407 into a network
 * error), a timeout bounds it and the body is read up to 8 MiB; a transport error is an exchange
 * too (status 0), never a throw.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

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
  /** The request timed out only because its time share was ending: no verdict on the server. */
  readonly cutShort?: boolean;
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

