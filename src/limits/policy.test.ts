import { describe, expect, it } from 'vitest';
import { contractFrom, loadContract } from '../contract/spec.js';
import { ratePolicies } from './policy.js';

const responses = (...statuses: string[]) => Object.fromEntries(['200', ...statuses].map((s) => [s, { description: s }]));
const doc = (root: unknown, ops: Record<string, { limit?: unknown; statuses?: string[] }>) => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  ...(root === undefined ? {} : { 'x-specgate-rate-limit': root }),
  paths: Object.fromEntries(
    Object.entries(ops).map(([id, o]) => [
      `/${id}`,
      { get: { operationId: id, responses: responses(...(o.statuses ?? ['429'])), ...(o.limit === undefined ? {} : { 'x-specgate-rate-limit': o.limit }) } },
    ]),
  ),
});

describe('x-specgate-rate-limit', () => {
  it('the nearest wins: an operation\'s own policy is its own budget; the others share the root\'s "default"', () => {
    const policies = ratePolicies(contractFrom(doc({ requests: 100, per: 60, by: 'ip' }, { a: {}, b: {}, c: { limit: { requests: 5, per: 1, by: 'caller' } } })));
    expect(Object.fromEntries(policies)).toEqual({
      a: { name: 'default', requests: 100, per: 60, by: 'ip' },
      b: { name: 'default', requests: 100, per: 60, by: 'ip' },
      c: { name: 'c', requests: 5, per: 1, by: 'caller' },
    });
  });

  it('without a root policy, only operations with their own are limited', () => {
    expect([...ratePolicies(contractFrom(doc(undefined, { a: {}, b: { limit: { requests: 1, per: 1, by: 'ip' } } }))).keys()]).toEqual(['b']);
  });

  it('refuses a limited operation that does not declare its 429, naming it', () => {
    expect(() => ratePolicies(contractFrom(doc({ requests: 1, per: 1, by: 'ip' }, { a: {}, b: { statuses: ['400'] } })))).toThrow(
      'Rate-limited operations must declare a 429 response (x-specgate-rate-limit); missing on: b',
    );
  });

  it('refuses a malformed policy, saying where and what', () => {
    expect(() => ratePolicies(contractFrom(doc(undefined, { a: { limit: { requests: 0, per: 60, by: 'user', burst: 3 } } })))).toThrow(
      'x-specgate-rate-limit at GET /a: requests must be an integer from 1 to 1000000; by must be "caller" or "ip"; unknown field(s): burst.',
    );
  });

  it('in the Tasks API limits createTask to 60 a minute per caller, and every limited operation declares 429', () => {
    const contract = loadContract();
    const policies = ratePolicies(contract);
    expect(policies.get('createTask')).toEqual({ name: 'createTask', requests: 60, per: 60, by: 'caller' });
    for (const id of policies.keys()) {
      const op = contract.operations.find((o) => o.operationId === id)!;
      expect(contract.document.paths[op.path][op.method].responses['429'], id).toBeDefined();
    }
  });
});
