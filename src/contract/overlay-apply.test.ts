/**
 * The Overlay 1.0 applier on small documents, each with its exact result: update merged at the root
 * and into an operation, remove, array append, wildcards, keys with quotes, targets that select
 * nothing (a warning), and the overlays refused with one line.
 */
import { describe, expect, it } from 'vitest';
import { applyOverlay } from './overlay-apply.js';
import { checkedOverlay } from './overlay-check.js';

const base = () => ({
  openapi: '3.1.0',
  info: { title: 'Shop', version: '1' },
  tags: [{ name: 'orders' }],
  paths: {
    '/orders': { get: { operationId: 'listOrders', tags: ['orders'], parameters: [{ name: 'q', in: 'query' }] }, post: { operationId: 'createOrder' } },
    "/o'clock": { get: { operationId: 'clock' } },
    '/admin': { post: { operationId: 'reset' } },
  },
});

/** Applies one overlay made of `actions`; returns the result and the warnings. */
function applied(actions: unknown[], document: Record<string, unknown> = base()) {
  const warnings: string[] = [];
  const result = applyOverlay(document, checkedOverlay({ overlay: '1.0.0', info: { title: 't', version: '1' }, actions }, 'o.yaml'), 'o.yaml', (m) => warnings.push(m));
  return { result: result as Record<string, any>, warnings };
}

describe('applyOverlay', () => {
  it('merges an update at the root and into one operation, keeping everything else', () => {
    const { result, warnings } = applied([
      { target: '$', update: { 'x-specgate-upstream': 'http://api:8000', info: { description: 'via specgate' } } },
      { target: "$.paths['/orders'].post", update: { security: [{ bearerAuth: [] }] } },
    ]);
    const expected = base() as any;
    expected['x-specgate-upstream'] = 'http://api:8000';
    expected.info = { title: 'Shop', version: '1', description: 'via specgate' };
    expected.paths['/orders'].post = { operationId: 'createOrder', security: [{ bearerAuth: [] }] };
    expect(result).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it('removes every selected node, array items by index included', () => {
    const { result } = applied([
      { target: "$.paths['/admin']", remove: true },
      { target: '$.paths[*].get.parameters[0]', remove: true },
    ]);
    expect(Object.keys(result.paths)).toEqual(['/orders', "/o'clock"]);
    expect(result.paths['/orders'].get.parameters).toEqual([]);
  });

  it('appends one entry, or the items of an array, to every selected array; concatenates arrays inside a merged object', () => {
    const { result } = applied([
      { target: '$.tags', update: { name: 'admin' } },
      { target: '$.tags', update: [{ name: 'a' }, { name: 'b' }] },
      { target: "$.paths['/orders'].get", update: { tags: ['reports'], parameters: [{ name: 'limit', in: 'query' }] } },
    ]);
    expect(result.tags).toEqual([{ name: 'orders' }, { name: 'admin' }, { name: 'a' }, { name: 'b' }]);
    expect(result.paths['/orders'].get).toEqual({ operationId: 'listOrders', tags: ['orders', 'reports'], parameters: [{ name: 'q', in: 'query' }, { name: 'limit', in: 'query' }] });
  });

  it('updates every node a wildcard selects, and finds keys with quotes in them', () => {
    const { result } = applied([
      { target: '$.paths[*][*]', update: { 'x-seen': true } },
      { target: "$.paths[\"/o'clock\"]", remove: true },
    ]);
    expect(result.paths).toEqual({
      '/orders': { get: { operationId: 'listOrders', tags: ['orders'], parameters: [{ name: 'q', in: 'query' }], 'x-seen': true }, post: { operationId: 'createOrder', 'x-seen': true } },
      '/admin': { post: { operationId: 'reset', 'x-seen': true } },
    });
  });

  it('warns with one line for a target that selects nothing, and changes nothing', () => {
    const { result, warnings } = applied([{ target: "$.paths['/nowhere']", update: { 'x-a': 1 } }]);
    expect(result).toEqual(base());
    expect(warnings).toEqual(["o.yaml: action 1 ($.paths['/nowhere']) selects nothing in the document; skipped"]);
  });

  it('leaves the document it was given unchanged', () => {
    const document = base();
    applied([{ target: "$.paths['/orders'].get", update: { parameters: [{ name: 'x', in: 'query' }] } }, { target: "$.paths['/admin']", remove: true }], document);
    expect(document).toEqual(base());
  });

  it('refuses an invalid JSONPath, a primitive target, a non-object update of an object, and removing the root', () => {
    expect(() => applied([{ target: '$.paths[', update: {} }])).toThrow(/^o\.yaml: action 1 \(\$\.paths\[\): target is not a valid JSONPath expression: /);
    expect(() => applied([{ target: '$.info.title', update: 'x' }])).toThrow('o.yaml: action 1 ($.info.title): selects "Shop" at ["info","title"], not an object or array; select the object that holds it');
    expect(() => applied([{ target: '$.info', update: 'x' }])).toThrow('o.yaml: action 1 ($.info): update must be an object to merge into the selected object');
    expect(() => applied([{ target: '$', remove: true }])).toThrow('o.yaml: action 1 ($): cannot remove the whole document');
  });
});

describe('checkedOverlay', () => {
  it.each([
    ['not an object', ['a'], 'o.yaml: is not an Overlay document (not an object)'],
    ['another version', { overlay: '1.1.0', actions: [{ target: '$', remove: true }] }, 'o.yaml: is not an Overlay 1.0.x document (overlay: "1.1.0")'],
    ['an OpenAPI document', { openapi: '3.1.0', paths: {} }, 'o.yaml: is not an Overlay 1.0.x document (overlay: null)'],
    ['no actions', { overlay: '1.0.0', actions: [] }, 'o.yaml: has no actions (actions must be a non-empty list)'],
    ['an action without target', { overlay: '1.0.0', actions: [{ target: '$', remove: true }, { update: {} }] }, 'o.yaml: action 2 has no target'],
    ['a target that is not JSONPath', { overlay: '1.0.0', actions: [{ target: 'paths', remove: true }] }, 'o.yaml: action 1: target must be a JSONPath expression starting with $ (got "paths")'],
    ['remove that is not a boolean', { overlay: '1.0.0', actions: [{ target: '$.a', remove: 'yes' }] }, 'o.yaml: action 1 ($.a): remove must be true or false'],
    ['an action that does nothing', { overlay: '1.0.0', actions: [{ target: '$.a', updates: {} }] }, 'o.yaml: action 1 ($.a) has neither update nor remove: true'],
  ])('refuses %s with one line', (_, overlay, message) => {
    expect(() => checkedOverlay(overlay, 'o.yaml')).toThrow(message);
  });

  it('accepts any 1.0.x patch version', () => {
    expect(checkedOverlay({ overlay: '1.0.1', info: { title: 't', version: '1' }, actions: [{ target: '$', update: {} }] }, 'o.yaml').overlay).toBe('1.0.1');
  });
});
