/**
 * Type-level tests of the client, checked by `npx tsc --noEmit` (never executed): each
 * `@ts-expect-error` line is a misuse that must not compile. If one compiled, tsc would report
 * the directive as unused and fail.
 */
import { createApiClient, type ErrorType } from './index.js';

const client = createApiClient({ baseUrl: 'http://localhost:8000', token: () => 'token' });

/** Never called: only compiled. The correct calls must compile as they are. */
export async function correctUses(taskId: string): Promise<void> {
  await client.GET('/api/tasks', { params: { query: { limit: 10, completed: false } } });
  await client.GET('/api/tasks');
  await client.GET('/api/tasks/{taskId}', { params: { path: { taskId } } });
  await client.PATCH('/api/tasks/{taskId}', { params: { path: { taskId } }, body: { is_completed: true } });
  await client.DELETE('/api/tasks/{taskId}', { params: { path: { taskId } } });
  await client.GET('/health');
}

/** Never called: only compiled. */
export async function misuses(): Promise<void> {
  // @ts-expect-error a path openapi.yaml does not declare
  await client.GET('/api/task');
  // @ts-expect-error a method the path does not declare
  await client.PUT('/api/tasks/{taskId}', { params: { path: { taskId: 'x' } }, body: { title: 'x' } });
  // @ts-expect-error a body field TaskCreate does not have
  await client.POST('/api/tasks', { body: { title: 'Write', colour: 'red' } });
  // @ts-expect-error a body field of the wrong type
  await client.PATCH('/api/tasks/{taskId}', { params: { path: { taskId: 'x' } }, body: { is_completed: 'yes' } });
  // @ts-expect-error the required path parameter is missing
  await client.GET('/api/tasks/{taskId}', {});
  // @ts-expect-error the required body is missing
  await client.POST('/api/tasks', {});
  // @ts-expect-error a query parameter of the wrong type
  await client.GET('/api/tasks', { params: { query: { limit: 'ten' } } });

  const { data, error } = await client.POST('/api/tasks', { body: { title: 'Write the release notes' } });
  if (error) {
    const kind: ErrorType = error.error_type;
    // @ts-expect-error error_type is a closed union, not any string
    const unknownKind: typeof kind = 'teapot';
    void unknownKind;
  } else {
    const done: boolean = data.is_completed;
    // @ts-expect-error data is typed (Task), not any
    const notAString: string = data.is_completed;
    void notAString;
    // @ts-expect-error Task has no such field
    void data.colour;
    void done;
  }
}
