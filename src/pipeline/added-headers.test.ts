/** Every header specgate adds is exposed to browsers, on a document that declares none of them. */
import { describe, expect, it } from 'vitest';
import { contractFrom } from '../contract/spec.js';
import { ADDED_RESPONSE_HEADERS } from './added-headers.js';
import { contractCors } from './cors.js';

describe('Access-Control-Expose-Headers', () => {
  it('lists every header specgate adds although no response declares one', () => {
    const contract = contractFrom({
      openapi: '3.1.0',
      info: { title: 'bare', version: '1' },
      paths: { '/a': { get: { operationId: 'a', responses: { '200': { description: 'ok', headers: { Location: { schema: { type: 'string' } } } } } } } },
    });
    expect(contractCors(contract).exposedHeaders).toEqual(['X-Request-ID', 'Location', 'RateLimit', 'RateLimit-Policy', 'Idempotent-Replayed', 'WWW-Authenticate', 'Allow', 'Retry-After']);
    expect(ADDED_RESPONSE_HEADERS).toEqual(['X-Request-ID', 'RateLimit', 'RateLimit-Policy', 'Idempotent-Replayed', 'WWW-Authenticate', 'Allow', 'Retry-After']);
  });
});
