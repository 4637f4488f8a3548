/**
 * The OpenAPI document the gateway tests serve: operations sent upstream by x-specgate-upstream
 * (on path items) and by UPSTREAM_URL, one answered by an in-process handler, bearer security,
 * a JSON request body, and a WebSocket path.
 */
import type { OpenApiDocument } from '../contract/spec.js';

const error = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const item = { description: 'An item', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } };

/** The document, with `upstream` as the path items' x-specgate-upstream. */
export function gatewaySpec(upstream: string): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: 'Gateway fixture', version: '1.0.0' },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Item: { type: 'object', additionalProperties: false, required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
        NewItem: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
        Error: { type: 'object', required: ['detail', 'status_code', 'error_type', 'request_id'] },
      },
    },
    paths: {
      '/items': {
        'x-specgate-upstream': upstream,
        post: {
          operationId: 'createItem',
          security: [{ bearerAuth: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewItem' } } } },
          responses: { '201': item, '400': error, '401': error },
        },
      },
      '/items/{id}': {
        'x-specgate-upstream': upstream,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getItem', security: [{ bearerAuth: [] }], parameters: [{ name: 'expand', in: 'query', schema: { type: 'integer' } }], responses: { '200': item, '401': error } },
      },
      '/cases/{case}': {
        parameters: [{ name: 'case', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getCase', responses: { '200': item, default: error } },
      },
      '/located': {
        get: {
          operationId: 'getLocated',
          responses: { '200': { ...item, headers: { Location: { required: true, schema: { type: 'string' } } } } },
        },
      },
      '/local': {
        get: { operationId: 'getLocal', responses: { '200': item } },
      },
      '/ws': {
        'x-specgate-websocket': true,
        'x-specgate-upstream': upstream,
        get: { operationId: 'openSocket', security: [{ bearerAuth: [] }], responses: { '101': { description: 'Switching to WebSocket' }, '401': error, '403': error } },
      },
    },
  };
}

/** The in-process handler of the mixed spec. */
export const localHandlers = {
  getLocal: async () => ({ status: 200, body: { id: 'local', name: 'answered by the gateway itself' } }),
};
