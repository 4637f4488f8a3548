/** Assertions the gateway suites share: a refusal in the uniform body with CORS, and the 503 of an instance that is not ready. */
import { expect } from 'vitest';
import type { OpenApiDocument } from '../contract/spec.js';
import { declaredAnswerProblems, operationAt } from './declared-answer.js';
import { ALLOWED_ORIGIN } from './server.js';

/** Asserts `res` is the uniform error body with `status` and `errorType`, readable by the allowed Origin; returns the body. */
export async function expectRefusal(res: Response, status: number, errorType: string): Promise<Record<string, any>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  const body = await res.json();
  expect(body).toMatchObject({ status_code: status, error_type: errorType, request_id: res.headers.get('x-request-id') });
  return body;
}

/**
 * Asserts `res` is the gateway's 503 "not ready" answer: the uniform body with `detail`, the readiness
 * `fields`, and Retry-After — and, given the gateway's published document, one it declares for that probe.
 */
export async function expectNotReady(res: Response, detail: string, fields: Record<string, unknown>, retryAfter: string, published?: OpenApiDocument): Promise<void> {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe(retryAfter);
  const text = await res.text();
  expect(JSON.parse(text)).toEqual({ detail, status_code: 503, error_type: 'service_unavailable', request_id: res.headers.get('x-request-id'), ...fields });
  if (published === undefined) return;
  const operationId = operationAt(published, 'GET', new URL(res.url).pathname);
  expect(operationId, `${new URL(res.url).pathname} is published`).toBeDefined();
  expect(declaredAnswerProblems(published, operationId!, res, text)).toEqual([]);
}
