/**
 * Type-level proof that the handler map is checked against the contract: each
 * `@ts-expect-error` below must stay an error, or `npm run typecheck` fails
 * ("Unused '@ts-expect-error' directive").
 */
import type { Handler, HandlerMap, Handlers } from './handler.js';
import { handlers } from '../handlers/index.js';

const { deleteTask: _omitted, ...withoutDeleteTask } = handlers;

// 1. A missing handler: the map lacks `deleteTask`.
// @ts-expect-error Property 'deleteTask' is missing
export const missing = withoutDeleteTask satisfies Handlers;

// 1b. An operation the spec sends upstream needs no handler, and may not have one.
export const upstreamOmitted = withoutDeleteTask satisfies HandlerMap<'deleteTask'>;
// @ts-expect-error Object literal may only specify known properties ('deleteTask')
export const upstreamImplemented = { ...withoutDeleteTask, deleteTask: handlers.deleteTask } satisfies HandlerMap<'deleteTask'>;

// 2. An extra handler for an operationId the spec does not declare.
// @ts-expect-error Object literal may only specify known properties ('archiveTask')
export const extra = { ...handlers, archiveTask: handlers.getTask } satisfies Handlers;

// 3. A wrong body shape: `is_completed` must be a boolean.
// @ts-expect-error Type 'string' is not assignable to type 'boolean'
export const wrongBody: Handler<'getTask'> = async () => ({
  status: 200,
  body: { id: 'x', title: 't', description: null, is_completed: 'yes', created_at: '', updated_at: '' },
});

// 4. An undeclared status code: getTask declares no 202.
// @ts-expect-error Type '202' is not assignable to type '200'
export const undeclaredStatus: Handler<'getTask'> = async () => ({ status: 202, body: undefined });

// 5. A declared required response header left out: createTask's 201 needs Location.
// @ts-expect-error Property 'headers' is missing
export const missingLocation: Handler<'createTask'> = async () => ({
  status: 201,
  body: { id: 'x', title: 't', description: null, is_completed: false, created_at: '', updated_at: '' },
});
