/** Builds a synthetic OpenAPI 3.1 document with n secured GET operations, for spec-size scaling. */
import type { OpenApiDocument } from '../src/contract/spec.js';

/** The path of the i-th synthetic operation, with a concrete id. */
export const syntheticPath = (i: number) => `/r${i}/items/3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01`;

/** A document whose operations are `GET /r{i}/items/{itemId}` → 200 Item | 404 Error. */
export function syntheticSpec(n: number): OpenApiDocument {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    paths[`/r${i}/items/{itemId}`] = {
      get: {
        operationId: `getItem${i}`,
        parameters: [{ name: 'itemId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
          '404': { description: 'missing', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: `synthetic ${n}`, version: '1.0.0' },
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Item: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name'],
          properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } },
        },
        Error: { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } },
      },
    },
  };
}
