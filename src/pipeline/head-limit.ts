/**
 * The head-limit stage: answers 431 headers_too_large when the request head is over 32 KiB, right after CORS
 * so that an allowed Origin can read it. Node's own parser accepts heads up to twice that
 * (src/serve/http-server.ts), so this stage, not Node's bare 431, answers every head a browser sends
 * short of 64 KiB.
 */
import { headersTooLarge } from '../errors.js';
import type { RequestStage } from './stage.js';

/** The largest request head answered normally, in bytes (request line and headers). */
export const MAX_HEAD_BYTES = 32 * 1024;
/** The limit as the Error detail and the spec describe it. */
export const HEAD_LIMIT = '32 KiB';

/** The size of a request head as sent: request line, each `name: value` line, the blank line. */
export function headBytes(method: string, url: string, rawHeaders: readonly string[]): number {
  // Node keeps header text as latin1, one character per byte. `GET /x HTTP/1.1\r\n` … `\r\n`.
  let bytes = method.length + 1 + url.length + ' HTTP/1.1\r\n'.length + 2;
  for (const part of rawHeaders) bytes += part.length + 2;
  return bytes;
}

/** Creates the head-limit stage. */
export function headLimit(): RequestStage {
  return function headLimitStage(req, _res, next) {
    next(headBytes(req.method ?? '', req.url ?? '', req.rawHeaders) > MAX_HEAD_BYTES ? headersTooLarge(HEAD_LIMIT) : undefined);
  };
}
