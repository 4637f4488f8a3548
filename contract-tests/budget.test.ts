/**
 * The time budget is shared (issue 12 item 9): a slow operation cannot starve the others, an
 * operation that got no request fails the run, and an error inside one check is reported for
 * its operation while the run goes on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RESPONSE_CHECKS } from './checks.js';
import { runContract } from './contract.js';
import { fixtureDocument, ok200, startFixtureServer, type FixtureServer } from './testing/fixture-server.js';

const servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

// The slow operation comes first, as getDocs does in openapi.yaml.
const doc = fixtureDocument({
  '/slow': { get: { operationId: 'slowDocs', responses: ok200() } },
  ...Object.fromEntries(['a', 'b', 'c'].map((n) => [`/${n}`, { get: { operationId: `fast_${n}`, parameters: [{ name: 'n', in: 'query', schema: { type: 'integer' } }], responses: { ...ok200(), '400': { description: 'bad' } } } }])),
});

async function serve() {
  const server = await startFixtureServer((r) => {
    if (r.path === '/slow') return { status: 200, body: {}, delayMs: 150 };
    const n = r.query.get('n');
    return n === null || /^-?\d+$/.test(n) ? { status: 200, body: {} } : { status: 400, body: { detail: 'bad', status_code: 400, error_type: 'validation_error', request_id: 'fixture' } };
  }, doc);
  servers.push(server);
  return server;
}

const labels = ['slowDocs (GET /slow)', 'fast_a (GET /a)', 'fast_b (GET /b)', 'fast_c (GET /c)'];

describe('the time budget', () => {
  it('is shared: every operation gets requests even when the first one is slow and the examples are many', async () => {
    const server = await serve();
    const result = await runContract({ baseUrl: server.url, spec: doc, seed: 2, maxExamples: 5000, timeBudgetMs: 4_000 });
    for (const label of labels) expect(result.report!.tested.get(label), label).toBeGreaterThan(0);
    expect(result.summary).toMatch(/4 operations: 4 tested, 0 skipped, 0 failed/);
    expect(result.exitCode).toBe(0);
  });

  it('fails the run for every operation that got no request, never "All checks passed"', async () => {
    const server = await serve();
    const result = await runContract({ baseUrl: server.url, spec: doc, seed: 2, maxExamples: 50, timeBudgetMs: 0 });
    expect(result.report!.failures.filter((f) => f.check === 'operation_tested').map((f) => f.operation).sort()).toEqual([...labels].sort());
    expect(result.summary).not.toContain('All checks passed');
    expect(result.summary).toMatch(/4 operations: 0 tested, 0 skipped, 4 failed/);
    expect(result.exitCode).toBe(1);
  });
});

describe('an internal error in one check', () => {
  it('is reported for its operation, the run goes on, and the exit code is 2', async () => {
    const server = await serve();
    const original = RESPONSE_CHECKS.content_type_conformance!;
    RESPONSE_CHECKS.content_type_conformance = (spec, c, x) => {
      if (c.operation.operationId === 'fast_b') throw new TypeError('the check broke');
      return original(spec, c, x);
    };
    try {
      const result = await runContract({ baseUrl: server.url, spec: doc, seed: 2, maxExamples: 10, timeBudgetMs: 4_000 });
      expect(result.report!.errors).toEqual([{ operation: 'fast_b (GET /b)', message: 'content_type_conformance: internal error: the check broke' }]);
      for (const label of labels) expect(result.report!.tested.get(label), label).toBeGreaterThan(0);
      expect(result.summary).toContain('RUNNER ERROR fast_b (GET /b): content_type_conformance: internal error: the check broke');
      expect(result.exitCode).toBe(2);
    } finally {
      RESPONSE_CHECKS.content_type_conformance = original;
    }
  });
});
