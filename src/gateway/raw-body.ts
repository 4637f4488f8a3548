/**
 * The request body's bytes as received, for the forwarder. The JSON body stage reads JSON bodies
 * from the stream; this stage, just before it, keeps a copy of the chunks it reads. Other bodies
 * are not read by anyone before the forwarder, which streams them upstream as they arrive.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const chunksOf = new WeakMap<IncomingMessage, Buffer[]>();

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/** Creates the stage that copies JSON bodies as the body stage reads them. */
export function rawBodyCapture() {
  return function rawBodyStage(req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void {
    const type = req.headers['content-type'];
    if (type !== undefined && JSON_TYPE.test(type) && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined)) {
      const chunks: Buffer[] = [];
      chunksOf.set(req, chunks);
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
    }
    next();
  };
}

/** The body as received: its bytes when the body stage read it, the stream when nobody did, undefined when there is none. */
export function rawBodyOf(req: IncomingMessage): Buffer | IncomingMessage | undefined {
  const chunks = chunksOf.get(req);
  if (chunks !== undefined) return Buffer.concat(chunks);
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  return hasBody && !req.readableEnded ? req : undefined;
}
