/**
 * Each breaking change, made alone to the small shop document, is reported as breaking and names
 * the operation; nothing else in the report is breaking.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diffDocuments } from './diff.js';

const SHOP = parse(readFileSync(new URL('./fixtures/shop.yaml', import.meta.url), 'utf8'));
const shop = (): Record<string, any> => structuredClone(SHOP);
const changed = (change: (doc: Record<string, any>) => void) => {
  const doc = shop();
  change(doc);
  return doc;
};

const schemas = (doc: Record<string, any>) => doc.components.schemas;
const listOrders = (doc: Record<string, any>) => doc.paths['/orders'].get;
const createOrder = (doc: Record<string, any>) => doc.paths['/orders'].post;
const getOrder = (doc: Record<string, any>) => doc.paths['/orders/{orderId}'].get;

const cases: [string, string, string, (doc: Record<string, any>) => void][] = [
  ['a path is removed', 'path-removed', 'getOrder GET /orders/{orderId}', (d) => delete d.paths['/orders/{orderId}']],
  ['a method is removed', 'method-removed', 'deleteOrder DELETE /orders/{orderId}', (d) => delete d.paths['/orders/{orderId}'].delete],
  ['a required query parameter is added', 'request-parameter-added-required', 'listOrders GET /orders', (d) => listOrders(d).parameters.push({ name: 'region', in: 'query', required: true, schema: { type: 'string' } })],
  ['a required header is added', 'request-parameter-added-required', 'listOrders GET /orders', (d) => listOrders(d).parameters.push({ name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } })],
  ['an optional parameter becomes required', 'request-parameter-became-required', 'listOrders GET /orders', (d) => (listOrders(d).parameters[0].required = true)],
  ['a required body property is added', 'request-property-added-required', 'createOrder POST /orders', (d) => {
    schemas(d).NewOrder.properties.currency = { type: 'string' };
    schemas(d).NewOrder.required.push('currency');
  }],
  ['an optional body property becomes required', 'request-property-became-required', 'createOrder POST /orders', (d) => schemas(d).NewOrder.required.push('note')],
  ['a request type is narrowed (number → integer)', 'request-type-narrowed', 'listOrders GET /orders', (d) => (listOrders(d).parameters[0].schema.type = 'integer')],
  ['a request format is added', 'request-format-narrowed', 'createOrder POST /orders', (d) => (schemas(d).NewOrder.properties.note.format = 'email')],
  ['a request enum loses a value', 'request-enum-narrowed', 'listOrders GET /orders', (d) => (listOrders(d).parameters[1].schema.enum = ['open'])],
  ['a request bound is tightened', 'request-constraint-tightened', 'createOrder POST /orders', (d) => (schemas(d).NewOrder.properties.note.maxLength = 100)],
  ['a parameter moves from query to header', 'request-parameter-moved', 'listOrders GET /orders', (d) => (listOrders(d).parameters[0].in = 'header')],
  ['an array parameter is serialised another way', 'request-parameter-style-changed', 'listOrders GET /orders', (d) => (listOrders(d).parameters[1].explode = false)],
  ['a parameter is renamed', 'request-parameter-renamed', 'listOrders GET /orders', (d) => (listOrders(d).parameters[0].name = 'max')],
  ['the request body becomes required', 'request-body-became-required', 'createOrder POST /orders', (d) => {
    createOrder(d).requestBody.required = false;
  }],
  ['a request media type is removed', 'request-media-type-removed', 'createOrder POST /orders', (d) => {
    const body = createOrder(d).requestBody;
    body.content = { 'application/merge-patch+json': body.content['application/json'] };
  }],
  ['a required response property is removed', 'response-property-removed', 'getOrder GET /orders/{orderId}', (d) => {
    delete schemas(d).Order.properties.total;
    schemas(d).Order.required = ['id', 'status'];
  }],
  ['a response property becomes optional', 'response-property-became-optional', 'getOrder GET /orders/{orderId}', (d) => (schemas(d).Order.required = ['id', 'total'])],
  ['a response type is widened (nullable)', 'response-type-widened', 'getOrder GET /orders/{orderId}', (d) => (schemas(d).Order.properties.total.nullable = true)],
  ['a response enum gains a value', 'response-enum-widened', 'getOrder GET /orders/{orderId}', (d) => schemas(d).Order.properties.status.enum.push('refunded')],
  ['a 2xx status is removed', 'response-success-status-removed', 'createOrder POST /orders', (d) => {
    const responses = createOrder(d).responses;
    responses['200'] = responses['201'];
    delete responses['201'];
  }],
  ['a 2xx media type changes', 'response-media-type-removed', 'getOrder GET /orders/{orderId}', (d) => {
    const ok = getOrder(d).responses['200'];
    ok.content = { 'application/xml': ok.content['application/json'] };
  }],
  ['a response header is removed', 'response-header-removed', 'listOrders GET /orders', (d) => delete listOrders(d).responses['200'].headers],
  ['security is added to an open operation', 'security-added', 'getOrder GET /orders/{orderId}', (d) => (getOrder(d).security = [{ bearer: [] }])],
  ['scopes are added', 'security-scopes-added', 'createOrder POST /orders', (d) => (createOrder(d).security = [{ oauth: ['write', 'admin'] }])],
  ['another scheme replaces the old one', 'security-requirement-changed', 'createOrder POST /orders', (d) => (createOrder(d).security = [{ bearer: [] }])],
  ['a security scheme moves its credential', 'security-scheme-changed', 'createOrder POST /orders', (d) => (d.components.securitySchemes.oauth = { type: 'apiKey', in: 'header', name: 'X-Key' })],
  ['a WebSocket path stops upgrading', 'websocket-removed', 'listOrders GET /orders', () => {}],
];

describe('diffDocuments: breaking changes', () => {
  it.each(cases)('%s → %s on %s', (_, check, operation, change) => {
    const before = shop();
    if (check === 'websocket-removed') before.paths['/orders']['x-specgate-websocket'] = true;
    if (check === 'request-body-became-required') createOrder(before).requestBody.required = false;
    const after = changed(change);
    if (check === 'request-body-became-required') createOrder(after).requestBody.required = true;
    const result = diffDocuments(before, after);
    const breaking = result.findings.filter((f) => f.severity === 'breaking');
    expect(result.breaking).toBe(true);
    expect(breaking.map((f) => f.check)).toContain(check);
    expect(new Set(breaking.map((f) => f.check))).toEqual(new Set([check]));
    const [operationId, method, path] = operation.split(' ');
    expect(breaking.filter((f) => f.check === check).map((f) => f.operation)).toContainEqual({ operationId, method, path });
  });

  it('names the component a change is in, in both documents, and reports it for every operation using it', () => {
    const result = diffDocuments(shop(), changed((d) => schemas(d).Order.properties.status.enum.push('refunded')));
    const widened = result.findings.filter((f) => f.check === 'response-enum-widened');
    expect(widened.map((f) => f.operation.operationId).sort()).toEqual(['createOrder', 'getOrder', 'listOrders']);
    expect(widened[0]!.pointer).toEqual({ old: '/components/schemas/Order/properties/status', new: '/components/schemas/Order/properties/status' });
    expect(widened.find((f) => f.operation.operationId === 'getOrder')!.message).toBe('Order.status: enum has new values "refunded" (in response 200 application/json)');
  });

  it('follows a reference cycle through another schema and ends', () => {
    const cyclic = (note: Record<string, unknown>) =>
      changed((d) => {
        schemas(d).Order.properties.lines = { type: 'array', items: { $ref: '#/components/schemas/Line' } };
        schemas(d).Line = { type: 'object', required: ['order'], properties: { order: { $ref: '#/components/schemas/Order' }, note } };
      });
    const result = diffDocuments(cyclic({ type: 'string' }), cyclic({ type: 'string', nullable: true }));
    const widened = result.findings.filter((f) => f.check === 'response-type-widened' && f.operation.operationId === 'getOrder');
    expect(widened).toEqual([
      {
        check: 'response-type-widened',
        severity: 'breaking',
        operation: { operationId: 'getOrder', method: 'GET', path: '/orders/{orderId}' },
        message: 'Line.note: type string → string | null (in response 200 application/json)',
        pointer: { old: '/components/schemas/Line/properties/note', new: '/components/schemas/Line/properties/note' },
      },
    ]);
  });

  it('reports a change behind a cycle for an operation that enters the cycle elsewhere', () => {
    const cyclic = (nullable: boolean) =>
      changed((d) => {
        schemas(d).Order.properties.total.nullable = nullable;
        schemas(d).Order.properties.lines = { type: 'array', items: { $ref: '#/components/schemas/Line' } };
        schemas(d).Line = { type: 'object', properties: { order: { $ref: '#/components/schemas/Order' } } };
        d.paths['/lines/{id}'] = { get: { operationId: 'getLine', responses: { '200': { description: 'a line', content: { 'application/json': { schema: { $ref: '#/components/schemas/Line' } } } } } } };
      });
    const result = diffDocuments(cyclic(false), cyclic(true));
    const widened = result.findings.filter((f) => f.check === 'response-type-widened');
    expect(widened.map((f) => `${f.operation.operationId}: ${f.message}`).sort()).toEqual([
      'createOrder: Order.total: type integer → integer | null (in response 201 application/json)',
      'getLine: Order.total: type integer → integer | null (in response 200 application/json)',
      'getOrder: Order.total: type integer → integer | null (in response 200 application/json)',
      'listOrders: Order.total: type integer → integer | null (in response 200 application/json)',
    ]);
  });

  it('reads OpenAPI 3.1 type arrays: a response integer that may now be null is widened', () => {
    const v31 = (total: unknown) => changed((d) => {
      d.openapi = '3.1.0';
      schemas(d).Order.properties.total = total;
    });
    const result = diffDocuments(v31({ type: 'integer' }), v31({ type: ['integer', 'null'] }));
    expect(result.findings.filter((f) => f.operation.operationId === 'getOrder').map((f) => [f.check, f.message])).toEqual([
      ['response-type-widened', 'Order.total: type integer → integer | null (in response 200 application/json)'],
    ]);
  });

  it('ignores a readOnly property in a request, inline or referenced, but not in a response', () => {
    const withId = (type: string, created: string) =>
      changed((d) => {
        schemas(d).Id = { type, readOnly: true };
        schemas(d).NewOrder.properties.id = { $ref: '#/components/schemas/Id' };
        schemas(d).NewOrder.properties.created = { type: created, readOnly: true };
        schemas(d).Order.properties.id = { $ref: '#/components/schemas/Id' };
      });
    const onCreateOrder = (before: Record<string, any>, after: Record<string, any>) =>
      diffDocuments(before, after).findings.filter((f) => f.operation.operationId === 'createOrder').map((f) => [f.check, f.message]);
    // NewOrder itself unchanged (only what Id names changed), then changed too.
    for (const created of ['string', 'integer']) {
      expect(onCreateOrder(withId('string', 'string'), withId('integer', created))).toEqual([
        ['response-type-widened', 'Id: type string → integer (in response 201 application/json)'],
      ]);
    }
  });

  it('finds nothing between a document and itself', () => {
    expect(diffDocuments(shop(), shop())).toEqual({ findings: [], breaking: false, counts: { breaking: 0, warning: 0, info: 0 } });
  });

  it('refuses a document that is not OpenAPI 3.x', () => {
    expect(() => diffDocuments({ swagger: '2.0', paths: {} }, shop())).toThrow(/Swagger 2.0/);
  });
});
