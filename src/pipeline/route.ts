/**
 * Stage 5: finds the operation for the method and path through a radix-tree index (find-my-way)
 * built once from the spec, so the cost does not grow with the number of operations. A path the
 * spec does not declare is a 404; a declared path with an undeclared method is a 405 whose Allow
 * header lists the declared methods. See docs/performance.md for why this is not openapi-backend's
 * linear router.
 */
import type { RequestHandler } from 'express';
import FindMyWay from 'find-my-way';
import type { Contract, OperationInfo } from '../contract/spec.js';
import { methodNotAllowed, notFound } from '../errors.js';
import { stateOf } from './state.js';

interface Route {
  readonly operation: OperationInfo;
  /** The spec's parameter names, in the order they appear in the path template. */
  readonly names: readonly string[];
}

/** One path template's operations by upper-case method, in document order. */
type PathEntry = Map<string, Route>;

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

/**
 * Builds the index once, at start-up. Matching is path first, as OpenAPI specifies: the most
 * concrete template wins (`/configurations/defaults` over `/configurations/{id}`), then the
 * method is looked up in that path item only, so its 405 lists that item's methods.
 */
export function routeIndex(contract: Contract): RouteIndex {
  const router = FindMyWay({ maxParamLength: 2048, caseSensitive: true, ignoreTrailingSlash: false });
  const entries = new Map<string, PathEntry>();
  for (const operation of contract.operations) {
    const { path, names } = toRadixPath(operation.path);
    let entry = entries.get(path);
    if (!entry) {
      entries.set(path, (entry = new Map()));
      router.on('GET', path, () => {}, entry);
    }
    const method = operation.method.toUpperCase();
    if (!entry.has(method)) entry.set(method, { operation, names });
  }
  // An empty segment is never a path parameter: `/api/tasks/` is not `/api/tasks/{taskId}`.
  const lookup = (path: string) => {
    const found = router.find('GET', path);
    return found && Object.values(found.params as Record<string, string>).every((v) => v !== '') ? found : null;
  };
  return {
    find(method, path) {
      const found = lookup(path);
      const route = (found?.store as PathEntry | undefined)?.get(method);
      if (!found || !route) return undefined;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = (found.params as Record<string, string>)[`p${i}`] ?? '';
      });
      return { operation: route.operation, params };
    },
    methodsFor(path) {
      const entry = lookup(path)?.store as PathEntry | undefined;
      return entry ? [...entry.keys()] : undefined;
    },
  };
}

/** Creates the route stage over an index. */
export function route(index: RouteIndex): RequestHandler {
  return function routeStage(req, res, next) {
    const found = index.find(req.method, req.path);
    if (found) {
      const state = stateOf(res);
      state.operation = found.operation;
      state.pathParams = found.params;
      return next();
    }
    const declared = index.methodsFor(req.path);
    next(declared ? methodNotAllowed(req.method, [...declared, 'OPTIONS']) : notFound());
  };
}
