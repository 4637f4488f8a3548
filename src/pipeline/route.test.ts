import { describe, expect, it } from 'vitest';
import { contractFrom } from '../contract/spec.js';
import { routeIndex } from './route.js';

const ok = { responses: { '200': { description: 'ok' } } };
const index = routeIndex(
  contractFrom({
    openapi: '3.1.0',
    info: { title: 'routes', version: '1' },
    paths: {
      '/jobs/{job-id}:cancel': { post: { operationId: 'cancelJob', ...ok } },
      '/jobs/{job-id}': { get: { operationId: 'getJob', ...ok }, delete: { operationId: 'deleteJob', ...ok } },
      '/jobs/latest': { get: { operationId: 'latestJob', ...ok } },
      '/files/{owner}/{file.name}': { get: { operationId: 'getFile', ...ok } },
    },
  }),
);

describe('routeIndex', () => {
  it('maps parameters back to their spec names, hyphens and dots included', () => {
    expect(index.find('GET', '/files/ada/notes.txt')).toMatchObject({ operation: { operationId: 'getFile' }, params: { owner: 'ada', 'file.name': 'notes.txt' } });
    expect(index.find('POST', '/jobs/42:cancel')).toMatchObject({ operation: { operationId: 'cancelJob' }, params: { 'job-id': '42' } });
  });

  it('prefers a literal path over a template and decodes parameters', () => {
    expect(index.find('GET', '/jobs/latest')?.operation.operationId).toBe('latestJob');
    expect(index.find('GET', '/jobs/a%20b')?.params).toEqual({ 'job-id': 'a b' });
  });

  it('finds nothing for an undeclared method, and lists the declared ones for Allow and preflights', () => {
    expect(index.find('PUT', '/jobs/42')).toBeUndefined();
    expect(index.methodsFor('/jobs/42')).toEqual(['GET', 'DELETE']);
    expect(index.methodsFor('/nowhere')).toBeUndefined();
  });

  it('matches the concrete path before the method: a literal path never falls through to a template', () => {
    expect(index.find('DELETE', '/jobs/latest')).toBeUndefined();
    expect(index.methodsFor('/jobs/latest')).toEqual(['GET']);
    expect(index.find('DELETE', '/jobs/7')?.operation.operationId).toBe('deleteJob');
  });

  it('backtracks from a literal segment that leads nowhere to the template that matches', () => {
    const tree = routeIndex(
      contractFrom({
        openapi: '3.1.0',
        info: { title: 'routes', version: '1' },
        paths: {
          '/a/{x}/b': { get: { operationId: 'templated', ...ok } },
          '/a/static/c': { get: { operationId: 'literal', ...ok } },
        },
      }),
    );
    expect(tree.find('GET', '/a/static/b')).toMatchObject({ operation: { operationId: 'templated' }, params: { x: 'static' } });
    expect(tree.find('GET', '/a/static/c')?.operation.operationId).toBe('literal');
    expect(tree.find('GET', '/a/%E0%A4%A/b')).toBeUndefined();
  });
});
