/**
 * Stage 6: reports a deferred body-parsing failure, then validates the request with
 * express-openapi-validator (every violation, not just the first). Outside production the same
 * library validates responses, so a handler that breaks the contract becomes a logged 500.
 */
import type { RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Contract } from '../contract/spec.js';
import { stateOf } from './state.js';

/**
 * OpenAPI 3.0 gives `nullable` no meaning without `type` (3.0.3), but Ajv refuses such a schema;
 * big real documents (GitHub's) have them next to allOf/oneOf. Dropping the keyword there keeps
 * the meaning and lets the validator compile. Works in place on the validator's own copy.
 */
function dropUntypedNullable(value: unknown): unknown {
  if (Array.isArray(value)) value.forEach(dropUntypedNullable);
  else if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (node.nullable !== undefined && node.type === undefined && typeof node.nullable === 'boolean') delete node.nullable;
    Object.values(node).forEach(dropUntypedNullable);
  }
  return value;
}

/** Creates the validate stage: a list of middleware, applied in order. */
export function validate(contract: Contract, options: { responses: boolean }): RequestHandler[] {
  const validator = OpenApiValidator.middleware({
    // The library rewrites the document it is given; it gets its own copy.
    apiSpec: dropUntypedNullable(structuredClone(contract.document)) as never,
    validateRequests: { allErrors: true },
    validateResponses: options.responses ? { allErrors: true } : false,
    validateSecurity: false,
    validateFormats: true,
  }) as RequestHandler[];
  const reportBodyError: RequestHandler = function bodyErrorStage(_req, res, next) {
    next(stateOf(res).bodyError);
  };
  return [reportBodyError, ...validator];
}
