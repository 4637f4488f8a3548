/**
 * Every operationId of openapi.yaml and its handler. `satisfies Handlers` makes a missing,
 * extra or mistyped entry a type error naming the operationId.
 */
import type { Handlers } from '../contract/handler.js';
import { getDocs, getOpenApiJson, getOpenApiYaml } from './docs.js';
import { getHealth, getLiveness } from './health.js';
import { createTask, deleteTask, getTask, listTasks, updateTask } from './tasks.js';

/** The handler map the dispatcher serves. */
export const handlers = {
  getLiveness,
  getHealth,
  getDocs,
  getOpenApiJson,
  getOpenApiYaml,
  listTasks,
  createTask,
  getTask,
  updateTask,
  deleteTask,
} satisfies Handlers;
