/**
 * The body stage reads what was sent, as it was sent: a compressed body is decoded (and a body
 * that is not what its Content-Encoding says is a 400, an encoding we do not take a 415), JSON is
 * strict UTF-8 with no lone surrogates, any JSON value is parsed and left to the schema, and a
 * body sent to an operation that declares none is refused.
 */
import { Agent, request } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { inProcessApp, type InProcessApp } from '../testing/in-process.js';
import { mintToken } from '../testing/tokens.js';

let server: InProcessApp;
let token: string;

beforeAll(async () => {
  server = await inProcessApp();
  token = await mintToken('user-body');
});

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  server.request('/api/tasks', { method: 'POST', token, headers: { 'content-type': 'application/json', ...headers }, body });

const uniform = async (res: Response) => {
  const body = await res.json();
  expect(body.request_id).toBe(res.headers.get('x-request-id'));
  expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  return { status: res.status, body: { ...body, request_id: undefined } };
};

describe('Content-Encoding', () => {
  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
  ] as const)('decodes a %s body', async (encoding, compress) => {
    const res = await post(compress(Buffer.from(JSON.stringify({ title: `compressed ${encoding}` }))), { 'content-encoding': encoding });
    expect(res.status).toBe(201);
    expect((await res.json()).title).toBe(`compressed ${encoding}`);
  });

  it.each(['gzip', 'br', 'deflate'])('answers 400 for a %s body that is not compressed', async (encoding) => {
    const res = await post(JSON.stringify({ title: 'plain' }), { 'content-encoding': encoding });
    expect(await uniform(res)).toEqual({
      status: 400,
      body: {
        detail: `The request body is not valid ${encoding} data, as its Content-Encoding says.`,
        status_code: 400,
        error_type: 'validation_error',
        errors: [{ location: 'body', path: '', message: `is not valid ${encoding} data` }],
      },
    });
  });

  it('answers 415 for an encoding it does not take', async () => {
    const res = await post(JSON.stringify({ title: 'zstd' }), { 'content-encoding': 'zstd' });
    expect(await uniform(res)).toEqual({
      status: 415,
      body: {
        detail: 'Content-Encoding "zstd" is not accepted; send the body as identity, gzip, deflate or br.',
        status_code: 415,
        error_type: 'unsupported_media_type',
      },
    });
  });

  it('stops a compression bomb at the body limit', async () => {
    const res = await post(gzipSync(Buffer.from(`{"title":"${'a'.repeat(3 * 1024 * 1024)}"}`)), { 'content-encoding': 'gzip' });
    expect((await uniform(res)).status).toBe(413);
  });
});

describe('text', () => {
  it('answers 400 for a body that is not valid UTF-8', async () => {
    const res = await post(Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]));
    expect(await uniform(res)).toEqual({
      status: 400,
      body: { detail: 'The request body is not valid UTF-8.', status_code: 400, error_type: 'validation_error', errors: [{ location: 'body', path: '', message: 'is not valid UTF-8' }] },
    });
  });

  it.each(['{"title":"v\\ud800"}', '{"title":"v\\uDFFF"}', '{"title":"ok","v\\ud800":1}'])('refuses a lone surrogate rather than rewriting it: %s', async (text) => {
    const res = await post(text);
    const { status, body } = await uniform(res);
    expect({ status, error_type: body.error_type, detail: body.detail }).toEqual({ status: 400, error_type: 'validation_error', detail: 'The request body is not well-formed Unicode.' });
  });

  it('keeps a well-formed surrogate pair exactly', async () => {
    const res = await post('{"title":"clef \\ud834\\udd1e"}');
    expect(res.status).toBe(201);
    expect((await res.json()).title).toBe('clef \u{1d11e}');
  });
});

describe('JSON values', () => {
  it.each(['"text"', '""', 'null', '42', '[]'])('parses %s and lets the schema refuse it', async (text) => {
    const res = await post(text);
    const { status, body } = await uniform(res);
    expect({ status, error_type: body.error_type }).toEqual({ status: 400, error_type: 'validation_error' });
    expect(body.errors).toEqual([{ location: 'body', path: '', message: 'must be object' }]);
  });

  it('still answers invalid_json for text that is not JSON', async () => {
    const { status, body } = await uniform(await post('{"title": '));
    expect({ status, error_type: body.error_type }).toEqual({ status: 400, error_type: 'invalid_json' });
  });
});

describe('operations without a request body', () => {
  it('refuses a JSON body sent to one', async () => {
    const created = await (await post(JSON.stringify({ title: 'to delete' }))).json();
    const del = await server.request(`/api/tasks/${created.id}`, { token, method: 'DELETE', headers: { 'content-type': 'application/json' }, body: '{"force":true}' });
    expect(await uniform(del)).toEqual({
      status: 400,
      body: {
        detail: 'This operation takes no request body; send none.',
        status_code: 400,
        error_type: 'validation_error',
        errors: [{ location: 'body', path: '', message: 'this operation takes no request body' }],
      },
    });
    expect((await server.request(`/api/tasks/${created.id}`, { token })).status).toBe(200);
  });

  it('accepts an empty body on one', async () => {
    const created = await (await post(JSON.stringify({ title: 'to delete' }))).json();
    const del = await server.request(`/api/tasks/${created.id}`, { token, method: 'DELETE', headers: { 'content-length': '0' } });
    expect(del.status).toBe(204);
  });
});

describe('deep nesting', () => {
  it('checks a deeply nested body with an escape for lone surrogates without running out of stack', async () => {
    const depth = 100_000;
    const res = await post(`{"title":"\\u00e9","description":null,"x":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const { status, body } = await uniform(res);
    expect({ status, error_type: body.error_type }).toEqual({ status: 400, error_type: 'validation_error' });
  });

  it('reads and drops the rest of a body over the limit: the client gets its 413, and the connection stays usable', async () => {
    const socket = await server.listen();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: Buffer) =>
      new Promise<{ status: number | undefined; reused: boolean }>((resolve, reject) => {
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(body ? { 'content-length': String(body.length) } : {}) };
        const req = request(socket.url + path, { method, agent, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      expect(await send('POST', '/api/tasks', Buffer.alloc(3 * 1024 * 1024, 'x'))).toEqual({ status: 413, reused: false });
      expect(await send('GET', '/health')).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
      await socket.close();
    }
  });
});
