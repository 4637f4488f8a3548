/** The assertion the suites against real backends share: a refusal reached the browser as the uniform body with CORS. */
import { expect } from 'vitest';
import { ALLOWED_ORIGIN } from './server.js';

/** Asserts `res` is the uniform error body with `status` and `errorType`, readable by the allowed Origin; returns the body. */
export async function expectRefusal(res: Response, status: number, errorType: string): Promise<Record<string, any>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  const body = await res.json();
  expect(body).toMatchObject({ status_code: status, error_type: errorType, request_id: res.headers.get('x-request-id') });
  return body;
}
