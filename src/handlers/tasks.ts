/** Handlers for the `tasks` tag of openapi.yaml: the caller's own tasks, nobody else's. */
import type { Handler } from '../contract/handler.js';
import { deleteTask as removeTask, findTask, insertTask, listTasks as selectTasks, updateTask as changeTask, type Task } from '../db/tasks.js';
import type { Queryable } from '../db/database.js';
import { idempotent } from '../db/idempotency.js';
import { notFound, preconditionFailed } from '../errors.js';
import { etagOf, matchHolds, noneMatchHits } from '../http/conditional.js';
import { callerOf } from './caller.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const TASK_NOT_FOUND = 'Task not found.';

/** A guard refusing the change unless If-Match holds for the task as it is now. */
const ifMatch = (field: string | undefined) =>
  field === undefined
    ? undefined
    : (current: Task) => {
        if (!matchHolds(field, etagOf(current))) throw preconditionFailed();
      };

/** GET /api/tasks: one page, newest first. */
export const listTasks: Handler<'listTasks'> = async (input, { db }) => {
  const limit = input.query.limit ?? 20;
  const after = input.query.cursor === undefined ? undefined : decodeCursor(input.query.cursor);
  const rows = await selectTasks(db, callerOf(input), { completed: input.query.completed, limit, after });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const next_cursor = rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null;
  return { status: 200, body: { items, next_cursor } };
};

/** POST /api/tasks: 201 with the task and its Location; with an Idempotency-Key, created once per key. */
export const createTask: Handler<'createTask'> = async (input, { db }) => {
  const userId = callerOf(input);
  const create = async (q: Queryable) => {
    const task = await insertTask(q, userId, { title: input.body.title, description: input.body.description ?? null });
    return { status: 201 as const, body: task, headers: { Location: `/api/tasks/${task.id}` } };
  };
  const key = input.header['idempotency-key'];
  if (key === undefined) return create(db);
  return idempotent(db, { userId, operation: 'createTask', key, body: input.body }, create);
};

/** GET /api/tasks/{taskId}: the task and its ETag, or 304 when If-None-Match names that ETag. */
export const getTask: Handler<'getTask'> = async (input, { db }) => {
  const task = await findTask(db, callerOf(input), input.path.taskId);
  if (!task) throw notFound(TASK_NOT_FOUND);
  const etag = etagOf(task);
  if (noneMatchHits(input.header['if-none-match'], etag)) return { status: 304, body: undefined, headers: { ETag: etag } };
  return { status: 200, body: task, headers: { ETag: etag } };
};

/** PATCH /api/tasks/{taskId}: only the fields sent change; 412 when If-Match does not hold. */
export const updateTask: Handler<'updateTask'> = async (input, { db }) => {
  const task = await changeTask(db, callerOf(input), input.path.taskId, input.body, ifMatch(input.header['if-match']));
  if (!task) throw notFound(TASK_NOT_FOUND);
  return { status: 200, body: task, headers: { ETag: etagOf(task) } };
};

/** DELETE /api/tasks/{taskId}: 204, 404 when it is not the caller's, 412 when If-Match does not hold. */
export const deleteTask: Handler<'deleteTask'> = async (input, { db }) => {
  if (!(await removeTask(db, callerOf(input), input.path.taskId, ifMatch(input.header['if-match'])))) throw notFound(TASK_NOT_FOUND);
  return { status: 204, body: undefined };
};
