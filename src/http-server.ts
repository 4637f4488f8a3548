/**
 * The node:http server the app runs in. Headers may total 32 KiB (Node's default is 16 KiB), so
 * an oversized bearer token still reaches the authenticate stage and gets the uniform 401
 * ("malformed") with CORS, instead of Node's bare 431 with no body.
 */
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';

/** The largest request head accepted, in bytes. */
export const MAX_HEADER_BYTES = 32 * 1024;

/** Wraps the app in an HTTP server (not yet listening). */
export function createHttpServer(app: Express): Server {
  return createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
}
