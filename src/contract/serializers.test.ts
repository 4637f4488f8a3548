/**
 * The serializers compiled from openapi.yaml write exactly what JSON.stringify writes for every
 * body the contract allows, take over only where the schema fixes every property, and refuse a
 * body missing a required property rather than writing something the contract does not describe.
 */
import { describe, expect, it } from 'vitest';
import { compileSerializers } from './serializers.js';
import { contractFrom, loadContract } from './spec.js';

const contract = loadContract();
const serializers = compileSerializers(contract);
const task = {
  id: '3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01',
  title: 'Quotes " and \\ and \u2028 and \u{1d11e}',
  description: null,
  is_completed: false,
  created_at: '2026-11-22T10:00:00.000Z',
  updated_at: '2026-11-22T10:00:00.000Z',
};

describe('compileSerializers on openapi.yaml', () => {
  it.each([
    ['getTask', 200, task],
    ['createTask', 201, { ...task, description: 'text' }],
    ['updateTask', 200, { ...task, is_completed: true }],
    ['listTasks', 200, { items: [task, task], next_cursor: 'abc' }],
    ['listTasks', 200, { items: [], next_cursor: null }],
    ['getHealth', 200, { status: 'ok', database: 'up', version: '0.1.0' }],
  ])('%s %i is compiled and writes what JSON.stringify writes', (operationId, status, body) => {
    const serialize = serializers.get(operationId, status);
    expect(serialize).not.toBe(JSON.stringify);
    expect(JSON.parse(serialize(body))).toEqual(body);
    expect(serialize(body).length).toBe(JSON.stringify(body).length);
  });

  it('keeps JSON.stringify for an open schema, which would drop what it does not name', () => {
    expect(serializers.get('getOpenApiJson', 200)).toBe(JSON.stringify);
  });

  it('keeps JSON.stringify for a status the operation does not declare', () => {
    expect(serializers.get('getTask', 299)).toBe(JSON.stringify);
  });

  it('throws for a body missing a required property', () => {
    const { id: _id, ...withoutId } = task;
    expect(() => serializers.get('getTask', 200)(withoutId)).toThrow();
  });
});

describe('compileSerializers on large documents', () => {
  const item = { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } };
  const paths = Object.fromEntries(
    Array.from({ length: 301 }, (_, i) => [
      `/r${i}`,
      { get: { operationId: `op${i}`, responses: { '200': { description: 'ok', content: { 'application/json': { schema: i === 300 ? { ...item, required: ['a'] } : item } } } } } },
    ]),
  );
  const large = compileSerializers(contractFrom({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths }));

  it('compiles an operation of a document over 300 operations on its first answer', () => {
    const serialize = large.get('op0', 200);
    expect(serialize).not.toBe(JSON.stringify);
    expect(serialize({ a: 'x' })).toBe('{"a":"x"}');
  });

  it('shares one serializer among operations that declare the same schema, and only among those', () => {
    expect(large.get('op299', 200)).toBe(large.get('op0', 200));
    expect(large.get('op300', 200)).not.toBe(large.get('op0', 200));
  });
});
