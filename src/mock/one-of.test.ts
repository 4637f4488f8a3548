import { describe, expect, it } from 'vitest';
import { startMock } from '../testing/mock-server.js';

describe('a generated body for a oneOf whose first branch overlaps another', () => {
  it('comes from a later branch, so it matches exactly one', async () => {
    const mock = await startMock({
      openapi: '3.0.3',
      info: { title: 'overlap', version: '1' },
      paths: {
        '/thing': {
          get: {
            operationId: 'thing',
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { oneOf: [{ type: 'string' }, { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }, { type: 'string' }] } } },
              },
            },
          },
        },
      },
    });
    try {
      const res = await mock.request('/thing');
      expect(res.status).toBe(200);
      expect(Object.keys((await res.json()) as object)).toEqual(['id']);
    } finally {
      await mock.close();
    }
  });
});
