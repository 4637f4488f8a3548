/**
 * Stage 4: finds the operation for the method and path with openapi-backend's router. A path
 * the spec does not declare is a 404; a declared path with an undeclared method is a 405 whose
 * Allow header lists the declared methods.
 */
import type { RequestHandler } from 'express';
import { OpenAPIRouter } from 'openapi-backend';
import { pathIndex } from '../contract/path-index.js';
import type { Contract } from '../contract/spec.js';
import { methodNotAllowed, notFound } from '../errors.js';
import { stateOf } from './state.js';

/** Creates the route stage for a contract. */
export function route(contract: Contract): RequestHandler {
  const router = new OpenAPIRouter({ definition: contract.document as never, ignoreTrailingSlashes: false });
  const byId = new Map(contract.operations.map((op) => [op.operationId, op]));
  const paths = pathIndex(contract.operations);
  return function routeStage(req, res, next) {
    let operationId: string | undefined;
    try {
      const match: { operationId?: string } = router.matchOperation({ method: req.method, path: req.path, headers: {} }, true);
      operationId = match.operationId;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('405')) {
        const allowed = [...(paths.methodsFor(req.path) ?? []), 'OPTIONS'];
        return next(methodNotAllowed(req.method, allowed));
      }
      return next(notFound());
    }
    stateOf(res).operation = byId.get(operationId ?? '');
    next(stateOf(res).operation ? undefined : notFound());
  };
}
