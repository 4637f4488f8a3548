import { describe, expect, it } from 'vitest';
import { compileOperationValidators, EAGER_LIMIT } from './operation-validators.js';
import { contractFrom } from './spec.js';

/** A document of n operations whose query parameter `q` has the given schema. */
const docWith = (n: number, schema: Record<string, unknown>) =>
  contractFrom({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: Object.fromEntries(
      Array.from({ length: n }, (_, i) => [
        `/r${i}`,
        { get: { operationId: `op${i}`, parameters: [{ name: 'q', in: 'query', schema }], responses: { '200': { description: 'ok' } } } },
      ]),
    ),
  });

describe('compileOperationValidators', () => {
  it('compiles everything at start-up for an ordinary spec, so a broken schema fails start-up', () => {
    expect(() => compileOperationValidators(docWith(2, { type: 'string', pattern: '(' }), { responses: false })).toThrow(/Invalid regular expression/);
  });

  it('defers compilation to first use above EAGER_LIMIT operations', () => {
    const set = compileOperationValidators(docWith(EAGER_LIMIT + 1, { type: 'string', pattern: '(' }), { responses: false });
    expect(() => set.get('op0')).toThrow(/Invalid regular expression/);
  });

  it('coerces and defaults parameters into the data it validates', () => {
    const set = compileOperationValidators(docWith(1, { type: 'integer', default: 7 }), { responses: false });
    const data = { path: {}, query: {} as Record<string, unknown>, header: {} };
    expect(set.get('op0').parameters(data)).toEqual({ valid: true });
    expect(data.query).toEqual({ q: 7 });
  });
});
