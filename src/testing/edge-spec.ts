/**
 * The OpenAPI document of the edge-policy tests (docs/gateway.md, "The edge security policy"): a
 * public `/api/public/{name}` next to a protected `/api/admin/users`, a parameter that opts in to
 * encoded slashes, a JSON body, an identity echo and redirects — everything sent to `upstream`.
 */
import type { OpenApiDocument } from '../contract/spec.js';

const answer = { description: 'The upstream answer', content: { 'application/json': { schema: {} } } };
const error = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const name = (param: string, extra: Record<string, unknown> = {}) => ({ name: param, in: 'path', required: true, schema: { type: 'string' }, ...extra });

/** The document, every path item sent to `upstream`. */
export function edgeSpec(upstream: string): OpenApiDocument {
  const get = (operationId: string, secured: boolean, parameters: unknown[] = []) => ({
    'x-specgate-upstream': upstream,
    get: { operationId, security: secured ? [{ bearerAuth: [] }] : [], parameters, responses: { '200': answer, '307': { description: 'Moved' }, '400': error, '401': error, default: error } },
  });
  return {
    openapi: '3.1.0',
    info: { title: 'Edge policy fixture', version: '1.0.0' },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: { type: 'object', required: ['detail', 'status_code', 'error_type', 'request_id'] } },
    },
    paths: {
      '/api/public/{name}': get('getPublic', false, [name('name')]),
      '/api/admin/users': get('listUsers', true),
      '/api/files/{path}': get('getFile', false, [name('path', { 'x-specgate-allow-encoded-slash': true })]),
      '/api/me': get('getMe', true),
      '/api/redirect/{kind}': get('redirect', false, [name('kind')]),
      '/api/notes': {
        'x-specgate-upstream': upstream,
        post: {
          operationId: 'createNote',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' }, meta: {} } } } } },
          responses: { '200': answer, '400': error },
        },
      },
    },
  };
}
