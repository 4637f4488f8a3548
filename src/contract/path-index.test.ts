import { describe, expect, it } from 'vitest';
import { pathIndex } from './path-index.js';
import { loadContract, type OperationInfo } from './spec.js';

const op = (method: string, path: string): OperationInfo => ({ operationId: `${method}${path}`, method, path, security: [], requestContentTypes: [] });

describe('pathIndex', () => {
  const index = pathIndex([
    op('get', '/api/tasks'),
    op('post', '/api/tasks'),
    op('get', '/api/tasks/{taskId}'),
    op('patch', '/api/tasks/{taskId}'),
    op('get', '/api/tasks/mine'),
    op('get', '/api/{kind}/export'),
  ]);

  it('finds the declared methods of a literal and a templated path', () => {
    expect(index.methodsFor('/api/tasks')).toEqual(['GET', 'POST']);
    expect(index.methodsFor('/api/tasks/3f1c2a4e')).toEqual(['GET', 'PATCH']);
  });

  it('prefers a literal segment and falls back to a template when the literal leads nowhere', () => {
    expect(index.methodsFor('/api/tasks/mine')).toEqual(['GET']);
    expect(index.methodsFor('/api/tasks/export')).toEqual(['GET', 'PATCH']);
    expect(index.methodsFor('/api/users/export')).toEqual(['GET']);
    const backtrack = pathIndex([op('get', '/a/b'), op('put', '/{x}/c')]);
    expect(backtrack.methodsFor('/a/c')).toEqual(['PUT']);
  });

  it('knows nothing of undeclared paths, empty template segments or trailing slashes', () => {
    expect(index.methodsFor('/api/nothing')).toBeUndefined();
    expect(index.methodsFor('/api/tasks/')).toBeUndefined();
    expect(index.methodsFor('/api/tasks/1/extra')).toBeUndefined();
  });

  it('indexes openapi.yaml the way the route stage answers Allow', () => {
    const real = pathIndex(loadContract().operations);
    expect(real.methodsFor('/health')).toEqual(['GET']);
    expect(real.methodsFor('/api/tasks/x')).toEqual(['GET', 'DELETE', 'PATCH']);
  });
});
