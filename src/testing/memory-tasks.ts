/**
 * The Tasks API's handlers over a Map instead of a database, for tests of the pipeline's stages
 * (which never depend on where tasks are kept): each caller's tasks, newest first, with the same
 * answers, ETags and 404s as src/handlers/tasks.ts; idempotency, cursors and If-Match are the
 * database handlers' concern and are tested there, on every driver.
 */
import { randomUUID } from 'node:crypto';
import type { Handler, Handlers } from '../contract/handler.js';
import { notFound } from '../errors.js';
import { getDocs, getOpenApiJson, getOpenApiYaml } from '../handlers/docs.js';
import { getLiveness } from '../handlers/health.js';
import { callerOf } from '../handlers/caller.js';
import { etagOf, noneMatchHits } from '../http/conditional.js';
import type { Task } from '../db/tasks.js';

const TASK_NOT_FOUND = 'Task not found.';

/** A fresh handler map whose tasks live in this map only. */
export function memoryTaskHandlers(): Handlers {
  const tasks = new Map<string, Task & { owner: string }>();
  const own = (owner: string, id: string) => {
    const task = tasks.get(id);
    if (!task || task.owner !== owner) throw notFound(TASK_NOT_FOUND);
    return task;
  };
  const shown = ({ owner: _owner, ...task }: Task & { owner: string }): Task => task;

  const listTasks: Handler<'listTasks'> = async (input) => {
    const owner = callerOf(input);
    const mine = [...tasks.values()].filter((t) => t.owner === owner && (input.query.completed === undefined || t.is_completed === input.query.completed));
    return { status: 200, body: { items: mine.reverse().slice(0, input.query.limit ?? 20).map(shown), next_cursor: null } };
  };
  const createTask: Handler<'createTask'> = async (input) => {
    const now = new Date().toISOString();
    const task = { id: randomUUID(), owner: callerOf(input), title: input.body.title, description: input.body.description ?? null, is_completed: false, created_at: now, updated_at: now };
    tasks.set(task.id, task);
    return { status: 201, body: shown(task), headers: { Location: `/api/tasks/${task.id}` } };
  };
  const getTask: Handler<'getTask'> = async (input) => {
    const task = shown(own(callerOf(input), input.path.taskId));
    const etag = etagOf(task);
    if (noneMatchHits(input.header['if-none-match'], etag)) return { status: 304, body: undefined, headers: { ETag: etag } };
    return { status: 200, body: task, headers: { ETag: etag } };
  };
  const updateTask: Handler<'updateTask'> = async (input) => {
    const task = own(callerOf(input), input.path.taskId);
    Object.assign(task, input.body, { updated_at: new Date().toISOString() });
    return { status: 200, body: shown(task), headers: { ETag: etagOf(shown(task)) } };
  };
  const deleteTask: Handler<'deleteTask'> = async (input) => {
    own(callerOf(input), input.path.taskId);
    tasks.delete(input.path.taskId);
    return { status: 204, body: undefined };
  };
  const getHealth: Handler<'getHealth'> = async (_input, { apiVersion }) => ({ status: 200, body: { status: 'ok', database: 'up', version: apiVersion } });
  return { getLiveness, getHealth, getDocs, getOpenApiJson, getOpenApiYaml, listTasks, createTask, getTask, updateTask, deleteTask };
}
