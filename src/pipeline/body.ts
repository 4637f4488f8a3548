/**
 * The body stage: reads the request body, up to the limit, as the bytes that were sent: Content-Encoding
 * gzip, deflate and br are undone (the limit counts the decoded bytes, so a compression bomb stops
 * at 1 MB), a JSON media type is decoded as strict UTF-8 and parsed as any JSON value (the schema
 * decides what is allowed), and text that only JSON's escapes can carry — lone UTF-16 surrogates —
 * is refused rather than silently rewritten, as is an object with a key twice
 * (src/pipeline/duplicate-keys.ts). A failure is not answered here: it is kept and
 * reported after authentication, so an unauthenticated caller gets 401 whatever its body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import { type ApiError, invalidJson, payloadTooLarge, unsupportedCharset, unsupportedEncoding, validationError } from '../errors.js';
import type { RequestStage } from './stage.js';
import { stateOf } from './state.js';
import { duplicateKey } from './duplicate-keys.js';
import { hasLoneSurrogate } from './well-formed.js';

/** The body size limit, as the Error detail and the spec describe it. */
export const BODY_LIMIT = '1 MB';
/** The body size limit in bytes (decoded). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * How much of a refused body is still read and dropped. Closing on a client that is still sending
 * makes the server's TCP stack answer the unread bytes with a reset, which can reach the client
 * before the 413 does (it then sees a connection error, not the answer). Up to this many bytes
 * the rest is read and dropped and the connection stays usable; past it the connection is cut.
 */
export const DRAIN_LIMIT_BYTES = 8 * BODY_LIMIT_BYTES;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;
const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** Whether the request says it carries a body (a length above zero, or a chunked transfer). */
export const sendsBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** What a Content-Type value says about a body: its media type (lower case, no parameters), whether it is JSON, its charset. */
interface ContentType {
  readonly media: string;
  readonly json: boolean;
  readonly charset: string | undefined;
}

/** Content-Type values already read (a client sends the same one on every request); short values only, cleared when full. */
const contentTypes = new Map<string, ContentType>();
const CONTENT_TYPES_HELD = 256;
const CONTENT_TYPE_HELD_LENGTH = 128;

/** What a request's Content-Type says (src/pipeline/validate.ts reads it too). */
function contentTypeOf(req: IncomingMessage): ContentType {
  const header = req.headers['content-type'] ?? '';
  const known = contentTypes.get(header);
  if (known !== undefined) return known;
  const media = header.split(';')[0]!.trim().toLowerCase();
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(header)?.[1]?.toLowerCase();
  const read: ContentType = { media, json: JSON_TYPE.test(media), charset };
  if (header.length <= CONTENT_TYPE_HELD_LENGTH) {
    if (contentTypes.size >= CONTENT_TYPES_HELD) contentTypes.clear();
    contentTypes.set(header, read);
  }
  return read;
}

/** The media type of a request's Content-Type, lower case, without parameters. */
export const mediaTypeOf = (req: IncomingMessage) => contentTypeOf(req).media;

const badEncoding = (encoding: string) =>
  validationError([{ location: 'body', path: '', message: `is not valid ${encoding} data` }], `The request body is not valid ${encoding} data, as its Content-Encoding says.`);
const notUtf8 = () => validationError([{ location: 'body', path: '', message: 'is not valid UTF-8' }], 'The request body is not valid UTF-8.');
const loneSurrogate = () =>
  validationError([{ location: 'body', path: '', message: 'contains a lone UTF-16 surrogate (\\uD800-\\uDFFF escape without its pair)' }], 'The request body is not well-formed Unicode.');
const duplicated = (pointer: string) =>
  validationError([{ location: 'body', path: pointer, message: 'is a duplicate key: parsers disagree on which of its values counts' }], 'The request body has a key twice in one object.');
const incomplete = () => validationError([{ location: 'body', path: '', message: 'the body was incomplete' }]);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes and parses a JSON body; throws the ApiError the client will see. */
export function parseJsonBody(raw: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw notUtf8();
  }
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidJson();
  }
  if (text.includes('\\u') && hasLoneSurrogate(value)) throw loneSurrogate();
  const repeated = duplicateKey(text, value);
  if (repeated !== undefined) throw duplicated(repeated);
  return value;
}

/** After a refusal, reads and drops the rest of the body (see DRAIN_LIMIT_BYTES); a larger declared body closes the connection after the answer. */
function dropRest(req: IncomingMessage, res: ServerResponse): void {
  if (Number(req.headers['content-length']) > DRAIN_LIMIT_BYTES) {
    res.setHeader('Connection', 'close');
    req.pause();
    return;
  }
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_LIMIT_BYTES) req.socket.destroy();
  });
  req.resume();
}

/**
 * Reads the body's bytes, undoing Content-Encoding, and calls `done` once: with the bytes, or with
 * the ApiError the client will see. A callback, not a promise: the stages go on in the `end` event itself.
 */
function readBody(req: IncomingMessage, res: ServerResponse, encoding: string, done: (error: unknown, raw?: Buffer) => void): void {
  const decoder = encoding === 'identity' ? undefined : DECODERS[encoding]!();
  const source = decoder ? req.pipe(decoder) : req;
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const fail = (error: ApiError) => {
    if (settled) return;
    settled = true;
    if (decoder) req.unpipe(decoder);
    decoder?.destroy();
    if (!req.complete) dropRest(req, res);
    done(error);
  };
  source.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) return fail(payloadTooLarge(BODY_LIMIT));
    chunks.push(chunk);
  });
  source.once('end', () => {
    if (settled) return;
    settled = true;
    done(undefined, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  });
  source.once('error', () => fail(decoder ? badEncoding(encoding) : incomplete()));
  req.once('aborted', () => fail(incomplete()));
}

/** The body as handlers and validators see it: a JSON value for JSON media types, else the bytes. */
function bodyValue(req: IncomingMessage, raw: Buffer): unknown {
  const { json, charset } = contentTypeOf(req);
  if (!json) return raw.length === 0 ? undefined : raw;
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw unsupportedCharset(charset);
  return parseJsonBody(raw);
}

/** Creates the body stage. */
export function jsonBody(): RequestStage {
  return function bodyStage(req, res, next) {
    if (!sendsBody(req)) return next();
    const state = stateOf(res);
    // Another parser (an Express app's express.json()) already read the stream: use its result.
    if (req.readableEnded) {
      state.body = (req as IncomingMessage & { body?: unknown }).body;
      return next();
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    const declaredLength = Number(req.headers['content-length']);
    const failure =
      encoding !== 'identity' && !(encoding in DECODERS)
        ? unsupportedEncoding(encoding)
        : encoding === 'identity' && declaredLength > BODY_LIMIT_BYTES
          ? payloadTooLarge(BODY_LIMIT)
          : undefined;
    if (failure) {
      dropRest(req, res);
      state.bodyError = failure;
      return next();
    }
    readBody(req, res, encoding, (failed, raw) => {
      if (raw === undefined) state.bodyError = failed;
      else {
        state.rawBody = raw;
        try {
          state.body = bodyValue(req, raw);
        } catch (error) {
          state.bodyError = error;
        }
      }
      next();
    });
  };
}
