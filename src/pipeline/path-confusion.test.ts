import { describe, expect, it } from 'vitest';
import { contractFrom } from '../contract/spec.js';
import { confusingValue, slashAllowed } from './path-confusion.js';

describe('the path-confusion check', () => {
  it('refuses slashes and backslashes, and dot-segments even where slashes are allowed', () => {
    expect(confusingValue('../admin', false)).toMatch(/encoded "\/"/);
    expect(confusingValue('a\\b', false)).toMatch(/encoded "\/" or "\\"/);
    expect(confusingValue('..', true)).toMatch(/dot-segment/);
    expect(confusingValue('.', false)).toMatch(/dot-segment/);
    expect(confusingValue('docs/../x', true)).toMatch(/dot-segment/);
    expect(confusingValue('docs\\.', true)).toMatch(/dot-segment/);
    expect(confusingValue('docs/readme.txt', true)).toBeUndefined();
    expect(confusingValue('..foo', false)).toBeUndefined();
    expect(confusingValue('a.b', false)).toBeUndefined();
  });

  it('reads x-specgate-allow-encoded-slash on path-item and operation parameters, through $ref, the operation winning', () => {
    const contract = contractFrom({
      openapi: '3.1.0',
      info: { title: 'opt-in', version: '1' },
      components: { parameters: { Key: { name: 'key', in: 'path', required: true, schema: { type: 'string' }, 'x-specgate-allow-encoded-slash': true } } },
      paths: {
        '/blobs/{key}': { parameters: [{ $ref: '#/components/parameters/Key' }], get: { operationId: 'getBlob', responses: { '200': { description: 'ok' } } }, delete: { operationId: 'deleteBlob', parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }], responses: { '204': { description: 'gone' } } } },
      },
    });
    const [get, del] = contract.operations;
    expect([...slashAllowed(contract.document, get!)]).toEqual(['key']);
    expect([...slashAllowed(contract.document, del!)]).toEqual([]);
  });
});
