/**
 * Stage 5: finds the operation for the method and path through a radix-tree index (find-my-way)
 * built once from the spec, so the cost does not grow with the number of operations. A path the
 * spec does not declare is a 404; a declared path with an undeclared method is a 405 whose Allow
 * header lists the declared methods. See docs/performance.md for why this is not openapi-backend's
 * linear router.
 */
import FindMyWay from 'find-my-way';
import type { Contract, OperationInfo } from '../contract/spec.js';
import { methodNotAllowed, notFound } from '../errors.js';
import type { RequestStage } from './stage.js';
import { stateOf } from './state.js';

interface Route {
  readonly operation: OperationInfo;
  /** The spec's parameter names, in the order they appear in the path template. */
  readonly names: readonly string[];
}

const PROBE_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'];

/**
 * Turns `/a/{x}/b:c` into `/a/:p0/b::c`: positional names (spec names may hold `-` or `.`), literal
 * colons escaped, and a lazy regex where literal text follows a parameter in the same segment.
 */
function toRadixPath(template: string): { path: string; names: string[] } {
  const names: string[] = [];
  const parts = template.split(/(\{[^}]+\})/);
  const path = parts
    .map((part, i) => {
      if (!/^\{[^}]+\}$/.test(part)) return part.replace(/:/g, '::');
      names.push(part.slice(1, -1));
      const next = parts[i + 1] ?? '';
      const suffixInSegment = next !== '' && !next.startsWith('/');
      return `:p${names.length - 1}${suffixInSegment ? '(^[^/]+?)' : ''}`;
    })
    .join('');
  return { path, names };
}

/** The operation index: method + path → operation and named path parameters. */
export interface RouteIndex {
  find(method: string, path: string): { operation: OperationInfo; params: Record<string, string> } | undefined;
  /** The methods the spec declares for a concrete path (upper case), undefined when it declares none. */
  methodsFor(path: string): readonly string[] | undefined;
}

/** Builds the index once, at start-up. */
export function routeIndex(contract: Contract): RouteIndex {
  const router = FindMyWay({ maxParamLength: 2048, caseSensitive: true, ignoreTrailingSlash: false });
  const order = new Map(contract.operations.map((op, i) => [op, i]));
  for (const operation of contract.operations) {
    const { path, names } = toRadixPath(operation.path);
    const route: Route = { operation, names };
    router.on(operation.method.toUpperCase() as 'GET', path, () => {}, route);
  }
  // An empty segment is never a path parameter: `/api/tasks/` is not `/api/tasks/{taskId}`.
  const lookup = (method: string, path: string) => {
    const found = router.find(method as 'GET', path);
    return found && Object.values(found.params as Record<string, string>).every((v) => v !== '') ? found : null;
  };
  return {
    find(method, path) {
      const found = lookup(method, path);
      if (!found) return undefined;
      const { operation, names } = found.store as Route;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        params[name] = (found.params as Record<string, string>)[`p${i}`] ?? '';
      });
      return { operation, params };
    },
    methodsFor(path) {
      const hits = PROBE_METHODS.map((m) => lookup(m, path)?.store as Route | undefined).filter((r): r is Route => r !== undefined);
      if (hits.length === 0) return undefined;
      return hits.sort((a, b) => order.get(a.operation)! - order.get(b.operation)!).map((r) => r.operation.method.toUpperCase());
    },
  };
}

/** Creates the route stage over an index. */
export function route(index: RouteIndex): RequestStage {
  return function routeStage(req, res, next) {
    const state = stateOf(res);
    const method = req.method ?? 'GET';
    const found = index.find(method, state.path);
    if (found) {
      state.operation = found.operation;
      state.pathParams = found.params;
      return next();
    }
    const declared = index.methodsFor(state.path);
    next(declared ? methodNotAllowed(method, [...declared, 'OPTIONS']) : notFound());
  };
}
