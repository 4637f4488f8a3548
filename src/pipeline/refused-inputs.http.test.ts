/**
 * Inputs Postgres would refuse are 400 validation_errors naming the field, decided before the
 * database is asked — the same on PGlite and PostgreSQL: U+0000 in any string (declared or not,
 * in any operation), a cursor this API did not issue, a uuid in a form other than 8-4-4-4-12,
 * a path whose percent-encoding does not decode, a path parameter with an encoded slash, a JSON
 * key given twice. A data exception that still reaches the
 * database (SQLSTATE class 22) is a 400 too, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handler, Handlers } from '../contract/handler.js';
import { contractFrom, loadContract } from '../contract/spec.js';
import { handlers } from '../handlers/index.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';

const NUL = 'must not contain the NUL character (U+0000)';
const CONTRACT = 'The request does not match the API contract.';
const NOT_ISSUED = [{ location: 'query', path: 'cursor', message: 'is not a cursor this API issued' }];
const A_UUID = '3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01';

/** The Tasks contract plus an operation a user added: a free-form JSON body, no schema for its strings. */
function contractWithNotes() {
  const document = structuredClone(loadContract().document);
  document.paths['/api/notes'] = {
    post: {
      operationId: 'createNote',
      summary: 'Keep a note',
      tags: ['tasks'],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
      responses: { '204': { description: 'kept' }, '400': { $ref: '#/components/responses/BadRequest' } },
    },
  };
  return contractFrom(document);
}

let server: TestServer;
let token: string;
let stored: { id: string; title: string };
let notesReached = 0;

beforeAll(async () => {
  token = await mintToken('user-refused-inputs');
  // deleteTask sends the database a value it refuses (22P02), as a gap in validation would.
  const leakyDelete: Handler<'deleteTask'> = async (_input, { db }) => {
    await db.query('SELECT $1::integer AS n', ['not a number']);
    return { status: 204, body: undefined };
  };
  const createNote = async () => ((notesReached += 1), { status: 204, body: undefined });
  server = await startTestServer({ contract: contractWithNotes(), handlers: { ...handlers, deleteTask: leakyDelete, createNote } as unknown as Handlers });
  const res = await server.request('/api/tasks', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: '{"title":"kept as is"}' });
  stored = await res.json();
});
afterAll(() => server.close());

const send = (app: TestServer, method: string, path: string, body?: string) =>
  app.request(path, { method, token, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body }) });

/** Asserts the uniform 400 validation_error with exactly these issues. */
async function expectIssues(res: Response, errors: unknown[], detail = CONTRACT) {
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ detail, status_code: 400, error_type: 'validation_error', request_id: expect.any(String), errors });
}

describe('U+0000 in a string', () => {
  it('is refused in a POST body, and nothing is created', async () => {
    await expectIssues(await send(server, 'POST', '/api/tasks', '{"title":"a\\u0000b"}'), [{ location: 'body', path: '/title', message: NUL }]);
    await expectIssues(await send(server, 'POST', '/api/tasks', '{"title":"ok","description":"\\u0000"}'), [
      { location: 'body', path: '/description', message: NUL },
    ]);
    const page = await (await send(server, 'GET', '/api/tasks?limit=100')).json();
    expect(page.items.map((t: { title: string }) => t.title)).toEqual(['kept as is']);
  });

  it('is refused in a PATCH body, of an existing task (left unchanged) and of an unknown id', async () => {
    await expectIssues(await send(server, 'PATCH', `/api/tasks/${stored.id}`, '{"title":"\\u0000"}'), [{ location: 'body', path: '/title', message: NUL }]);
    await expectIssues(await send(server, 'PATCH', `/api/tasks/${A_UUID}`, '{"description":"x\\u0000"}'), [
      { location: 'body', path: '/description', message: NUL },
    ]);
    expect(await (await send(server, 'GET', `/api/tasks/${stored.id}`)).json()).toEqual(stored);
  });

  it('is refused in a property name, beside the schema’s own complaint', async () => {
    await expectIssues(await send(server, 'POST', '/api/tasks', '{"title":"x","\\u0000":1}'), [
      { location: 'body', path: '/\u0000', message: 'must NOT have additional properties' },
      { location: 'body', path: '/\u0000', message: NUL },
    ]);
  });

  it('is refused in a query parameter', async () => {
    await expectIssues(await send(server, 'GET', '/api/tasks?cursor=abc%00'), [{ location: 'query', path: 'cursor', message: NUL }]);
  });

  it('is refused in an operation a user adds, in strings its schema does not declare, at any depth', async () => {
    await expectIssues(await send(server, 'POST', '/api/notes', '{"a":[{"b":"x\\u0000"}],"c\\u0000d":"ok"}'), [
      { location: 'body', path: '/a/0/b', message: NUL },
      { location: 'body', path: '/c\u0000d', message: NUL },
    ]);
    expect(notesReached).toBe(0);
    expect((await send(server, 'POST', '/api/notes', '{"a":[{"b":"x"}]}')).status).toBe(204);
  });
});

describe('cursors', () => {
  const cursor = (createdAt: unknown, id: unknown = A_UUID) => Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

  it('refuses times JavaScript parses but Postgres does not, and a time or id in another form', async () => {
    const refused = [
      cursor('1'),
      cursor('March 7'),
      cursor('+275760-09-13T00:00:00.000Z'),
      cursor('2026-11-20T09:15:00.000Z\u0000'),
      cursor('0000-01-01T00:00:00.000Z'),
      cursor('2026-02-30T00:00:00.000Z'),
      cursor('2026-11-20T09:15:00Z'),
      cursor('2026-11-20T09:15:00.000+00:00'),
      cursor('2026-11-20T09:15:00.000Z', A_UUID.toUpperCase()),
      cursor('2026-11-20T09:15:00.000Z', `urn:uuid:${A_UUID}`),
      `${cursor('2026-11-20T09:15:00.000Z')}==`,
      Buffer.from(` ["2026-11-20T09:15:00.000Z","${A_UUID}"]`).toString('base64url'),
    ];
    for (const value of refused) await expectIssues(await send(server, 'GET', `/api/tasks?cursor=${value}`), NOT_ISSUED);
  });

  it('accepts exactly what it issues', async () => {
    expect((await send(server, 'GET', `/api/tasks?cursor=${cursor('2026-11-20T09:15:00.000Z')}`)).status).toBe(200);
  });
});

describe('uuids', () => {
  it('refuses a urn:uuid: path id on every operation that takes one', async () => {
    const issue = [{ location: 'path', path: 'taskId', message: 'must match format "uuid"' }];
    for (const method of ['GET', 'DELETE']) await expectIssues(await send(server, method, `/api/tasks/urn:uuid:${stored.id}`), issue);
    await expectIssues(await send(server, 'PATCH', `/api/tasks/urn:uuid:${stored.id}`, '{"title":"x"}'), issue);
  });
});

describe('percent-encoding', () => {
  it('answers 400 for a path that does not decode, on a declared path or not, whatever the method', async () => {
    const issue = [{ location: 'path', path: '', message: 'is not a valid URL encoding' }];
    for (const path of ['/api/tasks/%ZZ', '/api/tasks/%', '/api/tasks/%ED%A0%80', '/nowhere/%zz']) {
      await expectIssues(await send(server, 'GET', path), issue);
    }
    await expectIssues(await send(server, 'PUT', '/api/tasks/%E0%A4%A'), issue);
  });

  it('refuses an encoded slash or a dot-segment in a handler operation\'s parameter too, and a duplicate JSON key', async () => {
    const confused = (message: RegExp) => [{ location: 'path', path: 'taskId', message: expect.stringMatching(message) }];
    const detail = 'The request path would reach another resource behind the gateway.';
    await expectIssues(await send(server, 'GET', `/api/tasks/..%2F${stored.id}`), confused(/encoded "\/"/), detail);
    await expectIssues(await send(server, 'DELETE', `/api/tasks/..%5c${stored.id}`), confused(/encoded "\/" or "\\"/), detail);
    const twice = await send(server, 'POST', '/api/tasks', '{"title":"first","title":"second"}');
    await expectIssues(twice, [{ location: 'body', path: '/title', message: 'is a duplicate key: parsers disagree on which of its values counts' }], 'The request body has a key twice in one object.');
  });

  it('still routes a path whose percent-encoding decodes', async () => {
    const res = await send(server, 'GET', `/api/tasks/${stored.id.replace('-', '%2D')}`);
    expect(res.status).toBe(200);
  });
});

describe('a data exception that reaches the database', () => {
  it('is a 400 validation_error with a generic detail, no driver text', async () => {
    const res = await send(server, 'DELETE', `/api/tasks/${A_UUID}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      detail: 'A value in the request is malformed or out of range.',
      status_code: 400,
      error_type: 'validation_error',
      request_id: expect.any(String),
    });
  });
});
