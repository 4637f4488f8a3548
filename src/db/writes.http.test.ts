import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../contract/handler.js';
import { handlers } from '../handlers/index.js';
import { callerOf } from '../handlers/caller.js';
import { ALLOWED_ORIGIN, startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';
import { insertTask } from './tasks.js';

/**
 * A createTask that writes a task and then, inside the same transaction, a second statement the
 * database rejects (chosen by the title), so every driver's transaction and error translation is
 * exercised with real constraint violations.
 */
const SECOND_STATEMENT: Record<string, string> = {
  unique: 'INSERT INTO tasks (id, user_id, title) SELECT id, user_id, title FROM tasks WHERE id = $1',
  foreign: "INSERT INTO task_labels (task_id, label) VALUES ('00000000-0000-4000-8000-000000000000', $1::text)",
  check: "UPDATE tasks SET title = '' WHERE id = $1",
  notnull: 'UPDATE tasks SET user_id = NULL WHERE id = $1',
};

const twoStepCreate: Handlers = {
  ...handlers,
  createTask: async (input, { db }) => {
    const task = await db.transaction(async (tx) => {
      const first = await insertTask(tx, callerOf(input), { title: input.body.title, description: null });
      const sql = SECOND_STATEMENT[input.body.title];
      if (sql !== undefined) await tx.query(sql, [first.id]);
      if (input.body.title === 'crash') throw new Error('handler failed after its first write');
      return first;
    });
    return { status: 201, body: task, headers: { Location: `/api/tasks/${task.id}` } };
  },
};

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ handlers: twoStepCreate });
  await server.db.query('CREATE TABLE task_labels (task_id uuid NOT NULL REFERENCES tasks (id), label text NOT NULL)');
  token = await mintToken('user-writes');
});
afterAll(() => server.close());

const create = (title: string) =>
  server.request('/api/tasks', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) });

const rowsOf = async () => server.db.query<{ title: string }>("SELECT title FROM tasks WHERE user_id = 'user-writes' ORDER BY title");

const CONSTRAINT_400 = {
  detail: 'The request does not match the API contract.',
  status_code: 400,
  error_type: 'validation_error',
  errors: [{ location: 'body', path: '', message: 'violates a data constraint' }],
};

describe('a write that fails half-way through a request', () => {
  it.each([
    ['unique', 409, { detail: 'The request conflicts with the current state of the resource.', status_code: 409, error_type: 'conflict' }],
    ['foreign', 400, CONSTRAINT_400],
    ['check', 400, CONSTRAINT_400],
    ['notnull', 400, CONSTRAINT_400],
    ['crash', 500, { detail: 'An unexpected error occurred. Quote the request id when reporting it.', status_code: 500, error_type: 'internal_error' }],
  ])('%s: answers %i with no SQL or driver text, and leaves no partial row', async (title, status, body) => {
    const res = await create(title);
    expect(res.status).toBe(status);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await res.json()).toEqual({ ...body, request_id: res.headers.get('x-request-id') });
    expect(await rowsOf()).toEqual([]);
  });

  it('commits both statements when neither fails', async () => {
    const res = await create('fine');
    expect(res.status).toBe(201);
    expect(await rowsOf()).toEqual([{ title: 'fine' }]);
  });
});
