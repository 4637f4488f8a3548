/**
 * A validation_error lists at most 20 violations and says how many there were; validation stops
 * after 1,000, so a 1 MB body of undeclared properties, an array of 80,000 invalid items (in an
 * operation a user adds) or a query string of 3,000 parameters costs a small, bounded answer —
 * still a helpful 400 naming the first problems — instead of megabytes and seconds of CPU.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../contract/handler.js';
import { contractFrom, loadContract } from '../contract/spec.js';
import { inProcessApp, type InProcessApp } from '../testing/in-process.js';
import { memoryTaskHandlers } from '../testing/memory-tasks.js';
import { mintToken } from '../testing/tokens.js';

const STOPPED = 'The request does not match the API contract: at least 1000 problems (checking stopped there); the first 20 are listed.';

/** The Tasks contract plus an operation a user added: a batch of TaskCreate items. */
function contractWithBatches() {
  const document = structuredClone(loadContract().document);
  document.paths['/api/batches'] = {
    post: {
      operationId: 'createBatch',
      summary: 'Create many tasks',
      tags: ['tasks'],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/TaskCreate' } } } },
      },
      responses: { '204': { description: 'created' }, '400': { $ref: '#/components/responses/BadRequest' } },
    },
  };
  return contractFrom(document);
}

let server: InProcessApp;
let token: string;
beforeAll(async () => {
  token = await mintToken('user-bounded-errors');
  const createBatch = async () => ({ status: 204, body: undefined });
  server = await inProcessApp({ contract: contractWithBatches(), handlers: { ...memoryTaskHandlers(), createBatch } as unknown as Handlers });
});

const post = (path: string, body: string) => server.request(path, { method: 'POST', token, headers: { 'content-type': 'application/json' }, body });

/** A JSON object with a title and `n` undeclared properties k0 … k(n-1). */
function undeclared(n: number): string {
  const body: Record<string, unknown> = { title: 'x' };
  for (let i = 0; i < n; i++) body[`k${i}`] = 1;
  return JSON.stringify(body);
}

/** Reads a 400 answer, asserting its size and shape; returns its detail and errors. */
async function smallAnswer(res: Response): Promise<{ detail: string; errors: { location: string; path: string; message: string }[] }> {
  expect(res.status).toBe(400);
  const text = await res.text();
  expect(text.length).toBeLessThan(4096);
  const body = JSON.parse(text);
  expect(body).toMatchObject({ status_code: 400, error_type: 'validation_error' });
  return body;
}

describe('the errors list', () => {
  it('lists every violation up to 20', async () => {
    const { detail, errors } = await smallAnswer(await post('/api/tasks', undeclared(20)));
    expect(detail).toBe('The request does not match the API contract.');
    expect(errors).toHaveLength(20);
  });

  it('lists the first 20 in order beyond that, with the total in detail', async () => {
    const { detail, errors } = await smallAnswer(await post('/api/tasks', undeclared(37)));
    expect(detail).toBe('The request does not match the API contract: 37 problems; the first 20 are listed.');
    const names = Array.from({ length: 37 }, (_, i) => `/k${i}`).sort();
    expect(errors).toEqual(names.slice(0, 20).map((path) => ({ location: 'body', path, message: 'must NOT have additional properties' })));
  });
});

describe('bounded work', () => {
  it('answers a 1 MB body with 90,000 undeclared properties in a few KB, four at a time, /health still answering', async () => {
    const body = undeclared(90_000);
    expect(body.length).toBeGreaterThan(900_000);
    const answers = await Promise.all([...Array.from({ length: 4 }, () => post('/api/tasks', body)), server.request('/health')]);
    const health = answers.pop()!;
    expect(health.status).toBe(200);
    for (const res of answers) {
      const { detail, errors } = await smallAnswer(res);
      expect(detail).toBe(STOPPED);
      expect(errors).toHaveLength(20);
      for (const issue of errors) expect(issue).toEqual({ location: 'body', path: expect.stringMatching(/^\/k\d+$/), message: 'must NOT have additional properties' });
    }
  });

  it('stops early on an array of 80,000 invalid items behind a $ref', async () => {
    const { detail, errors } = await smallAnswer(await post('/api/batches', `[${Array.from({ length: 80_000 }, () => '{}').join(',')}]`));
    expect(detail).toBe(STOPPED);
    expect(errors[0]).toEqual({ location: 'body', path: '/0/title', message: "must have required property 'title'" });
  });

  it('still accepts a large valid batch', async () => {
    expect((await post('/api/batches', JSON.stringify(Array.from({ length: 5_000 }, (_, i) => ({ title: `t${i}` }))))).status).toBe(204);
  });

  it('answers a 30 KB query string of 3,000 undeclared parameters in a few KB', async () => {
    const query = Array.from({ length: 3000 }, (_, i) => `p${i}=1`).join('&');
    expect(query.length).toBeGreaterThan(20_000);
    const { detail, errors } = await smallAnswer(await server.request(`/api/tasks?${query}`, { token }));
    expect(detail).toBe(STOPPED);
    expect(errors).toHaveLength(20);
    for (const issue of errors) expect(issue).toEqual({ location: 'query', path: expect.stringMatching(/^p\d+$/), message: 'is not a declared query parameter' });
  });
});
