/**
 * The route stage: finds the operation for the path and then the method through a segment trie
 * (src/pipeline/path-trie.ts) built once from the spec, so the cost does not grow with the number
 * of operations. A path the spec does not declare is a 404; a declared path with an undeclared
 * method is a 405 whose Allow header lists that path item's methods. A path parameter holding an
 * encoded `/` or `\` or a dot-segment is a 400 (src/pipeline/path-confusion.ts). HEAD is answered
 * wherever GET is declared (RFC 9110 §9.3.2): it runs the GET operation, and Node sends the
 * headers without the body. See docs/performance.md for why this is not openapi-backend's linear router.
 */
import type { Contract, OperationInfo } from '../contract/spec.js';
import { methodNotAllowed, notFound } from '../errors.js';
import { refuseConfusingPath, slashAllowed } from './path-confusion.js';
import { PathTrie } from './path-trie.js';
import type { RequestStage } from './stage.js';
import { stateOf } from './state.js';

interface Route {
  readonly operation: OperationInfo;
  /** The spec's parameter names, in the order they appear in the path template. */
  readonly names: readonly string[];
  /** The path parameters that may hold an encoded `/` (x-specgate-allow-encoded-slash). */
  readonly slashOk: ReadonlySet<string>;
}

/** One path template's operations by upper-case method, in document order. */
type PathEntry = Map<string, Route>;

/** The operation index: method + path → operation and named path parameters. */
export interface RouteIndex {
  /** The operation for a method and path; throws a URIError when the path's percent-encoding does not decode. */
  find(method: string, path: string): { operation: OperationInfo; params: Record<string, string>; slashOk: ReadonlySet<string> } | undefined;
  /** The methods the spec declares for a concrete path (upper case), undefined when it declares none. */
  methodsFor(path: string): readonly string[] | undefined;
  /** Whether the spec declares the path for any method (one match, nothing built; false for a path that does not decode). */
  declares(path: string): boolean;
}

/**
 * Builds the index once, at start-up. Matching is path first, as OpenAPI specifies: the most
 * concrete template wins (`/configurations/defaults` over `/configurations/{id}`), then the
 * method is looked up in that path item only, so its 405 lists that item's methods.
 */
export function routeIndex(contract: Contract): RouteIndex {
  const trie = new PathTrie<PathEntry>();
  for (const operation of contract.operations) {
    const entry = trie.upsert(operation.path, () => new Map());
    const method = operation.method.toUpperCase();
    const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    if (!entry.has(method)) entry.set(method, { operation, names, slashOk: slashAllowed(contract.document, operation) });
  }
  return {
    find(method, path) {
      const found = trie.match(path);
      const route = found?.value.get(method) ?? (method === 'HEAD' ? found?.value.get('GET') : undefined);
      if (!found || !route) {
        // A path whose percent-encoding does not decode (`%ZZ`, `%`, `%ED%A0%80`) is the client's error (400).
        if (!found && path.includes('%')) decodeURIComponent(path);
        return undefined;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = found.params[i] ?? '';
      });
      return { operation: route.operation, params, slashOk: route.slashOk };
    },
    methodsFor(path) {
      const entry = trie.match(path)?.value;
      return entry ? [...entry.keys()] : undefined;
    },
    declares(path) {
      return trie.match(path) !== undefined;
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
      // Every operation, not only upstream ones: a handler that builds a URL or a file path from a parameter is as exposed.
      refuseConfusingPath(found.params, found.slashOk);
      return next();
    }
    const declared = index.methodsFor(state.path);
    next(declared ? methodNotAllowed(method, [...declared, 'OPTIONS']) : notFound());
  };
}
