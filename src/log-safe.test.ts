import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessApp, type InProcessApp } from './testing/in-process.js';
import { memoryTaskHandlers } from './testing/memory-tasks.js';
import type { Handlers } from './contract/handler.js';
import { InternalFault } from './errors.js';
import { describeError } from './log-safe.js';
import { mintToken, TEST_JWT_SECRET } from './testing/tokens.js';

describe('describeError', () => {
  it('keeps kind, code and where our code threw it, never the message or the stack', () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint "tasks_pkey" DETAIL: Key (id)=(42)'), { code: '23505' });
    const described = describeError(error);
    expect(described).toEqual({ kind: 'Error', code: '23505', at: expect.stringMatching(/^src\/log-safe\.test\.ts:\d+$/) });
    expect(JSON.stringify(described)).not.toMatch(/duplicate|Key \(id\)|\n/);
  });

  it('keeps the message and details of faults we wrote ourselves', () => {
    expect(describeError(new InternalFault('response breaks the contract: status 202 is not declared', ['/id must be string']))).toMatchObject({
      kind: 'InternalFault',
      message: 'response breaks the contract: status 202 is not declared',
      details: ['/id must be string'],
    });
  });

  it('describes a thrown non-error by its type', () => {
    expect(describeError('boom')).toEqual({ kind: 'string' });
  });
});

describe('log lines of real requests', () => {
  const lines: string[] = [];
  let server: InProcessApp;
  let token: string;

  beforeAll(async () => {
    const failing: Handlers = {
      ...memoryTaskHandlers(),
      getTask: async () => {
        throw new Error(`SELECT * FROM tasks WHERE secret = '${TEST_JWT_SECRET}'`);
      },
    };
    server = await inProcessApp({ env: { LOG_LEVEL: 'info' }, handlers: failing, logTo: { write: (line: string) => void lines.push(line) } });
    token = await mintToken('user-logs');
  });
  afterAll(() => server.close());

  it('writes one access line per request and the cause of a 500, with no token, secret, SQL or stack', async () => {
    const res = await server.request('/api/tasks/3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01', { token });
    expect(res.status).toBe(500);
    const requestId = res.headers.get('x-request-id');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const mine = lines.map((l) => JSON.parse(l)).filter((l) => l.request_id === requestId);
    expect(mine.map((l) => l.msg)).toEqual(['request failed', 'request']);
    expect(mine[0]).toMatchObject({ level: 50, error_type: 'internal_error', cause: { kind: 'Error', at: expect.stringMatching(/^src\/log-safe\.test\.ts:\d+$/) } });
    expect(mine[1]).toMatchObject({ level: 30, method: 'GET', path: '/api/tasks/3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01', status: 500, operation: 'getTask' });
    const all = lines.join('');
    expect(all).not.toContain(token);
    expect(all).not.toContain(TEST_JWT_SECRET);
    expect(all).not.toMatch(/SELECT|    at /);
  });
});
