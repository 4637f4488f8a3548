/**
 * Type-level tests of the client for docs/scaling.md, checked by `npx tsc --noEmit` (never
 * executed): the idempotency key, If-Match and the new error types compile as the guide writes them.
 */
import { createApiClient, type ErrorType } from './index.js';

const api = createApiClient({ baseUrl: 'http://localhost:8000', token: () => 'token' });

/** Never called: only compiled. */
export async function guideUses(taskId: string, title: string): Promise<ErrorType[]> {
  const key = `"${crypto.randomUUID()}"`;
  const created = await api.POST('/api/tasks', { params: { header: { 'Idempotency-Key': key } }, body: { title } });
  const read = await api.GET('/api/tasks/{taskId}', { params: { path: { taskId }, header: { 'If-None-Match': '"x"' } } });
  const etag = read.response.headers.get('ETag') ?? '*';
  const saved = await api.PATCH('/api/tasks/{taskId}', { params: { path: { taskId }, header: { 'If-Match': etag } }, body: { title } });
  const removed = await api.DELETE('/api/tasks/{taskId}', { params: { path: { taskId }, header: { 'If-Match': etag } } });
  const seen: ErrorType[] = [];
  if (created.error) seen.push(created.error.error_type);
  if (saved.error?.error_type === 'precondition_failed') seen.push('precondition_failed');
  if (removed.error?.error_type === 'precondition_failed') seen.push('precondition_failed');
  // @ts-expect-error: not an error_type of the contract
  seen.push('stale_write');
  seen.push('idempotency_key_reused', 'rate_limited');
  return seen;
}
