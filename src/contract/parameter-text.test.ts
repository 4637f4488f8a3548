import { describe, expect, it } from 'vitest';
import { compileOperationValidators } from './operation-validators.js';
import { contractFrom } from './spec.js';

/** The parameters validator of one GET operation with the given parameters. */
function parametersOf(parameters: object[]) {
  const contract = contractFrom({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: { '/r': { get: { operationId: 'read', parameters, responses: { '200': { description: 'ok' } } } } },
  });
  return compileOperationValidators(contract, { responses: false }).get('read').parameters;
}

describe('parameter text in the pipeline (the function the contract runner shares)', () => {
  it('reads an object header as k,v pairs, and empty text as {}', () => {
    const validate = parametersOf([{ name: 'X-Filter', in: 'header', required: true, schema: { type: 'object', properties: { limit: { type: 'integer' } }, additionalProperties: false } }]);
    const empty = { path: {}, query: {}, header: { 'x-filter': '' } };
    expect(validate(empty)).toEqual({ valid: true });
    expect(empty.header['x-filter']).toEqual({});
    const pairs = { path: {}, query: {}, header: { 'x-filter': 'limit,5' } };
    expect(validate(pairs)).toEqual({ valid: true });
    expect(pairs.header['x-filter']).toEqual({ limit: 5 });
    expect(validate({ path: {}, query: {}, header: { 'x-filter': 'limit,five' } }).valid).toBe(false);
  });

  it('leaves out a default that breaks its own schema instead of refusing the request that omitted it', () => {
    const validate = parametersOf([
      { name: 'time', in: 'query', schema: { type: 'string', format: 'time', default: '23:20:50.52' } },
      { name: 'limit', in: 'query', schema: { type: 'integer', default: 10 } },
    ]);
    const omitted = { path: {}, query: {}, header: {} };
    expect(validate(omitted)).toEqual({ valid: true });
    expect(omitted.query).toEqual({ limit: 10 });
    expect(validate({ path: {}, query: { time: 'noon' }, header: {} }).valid).toBe(false);
  });

  it('splits a header array at commas (simple style), but wraps a single exploded query value', () => {
    const validate = parametersOf([
      { name: 'X-Ids', in: 'header', schema: { type: 'array', items: { type: 'integer' } } },
      { name: 'tag', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
    ]);
    const data = { path: {}, query: { tag: 'a,b' }, header: { 'x-ids': '1,2' } };
    expect(validate(data)).toEqual({ valid: true });
    expect(data).toEqual({ path: {}, query: { tag: ['a,b'] }, header: { 'x-ids': [1, 2] } });
  });

  it('ignores a header parameter named Authorization, as OpenAPI says', () => {
    const validate = parametersOf([{ name: 'Authorization', in: 'header', required: true, schema: { type: 'string' } }]);
    expect(validate({ path: {}, query: {}, header: {} })).toEqual({ valid: true });
  });
});
