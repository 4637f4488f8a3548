/**
 * specgate's uniform Error body, as uniform_error_body checks it: the shape every error of the
 * pipeline has, whatever Error schema (if any) the document under test declares.
 */
import type { Schema } from './spec.js';

/** `{detail, status_code, error_type, request_id, errors?}` (openapi.yaml's `Error`, kept loose on `errors` items). */
export const UNIFORM_ERROR: Schema = {
  type: 'object',
  required: ['detail', 'status_code', 'error_type', 'request_id'],
  properties: {
    detail: { type: 'string' },
    status_code: { type: 'integer', minimum: 400, maximum: 599 },
    error_type: { type: 'string', minLength: 1 },
    request_id: { type: 'string' },
    errors: { type: 'array', items: { type: 'object' } },
  },
};
