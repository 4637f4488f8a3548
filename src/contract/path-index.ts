/**
 * An index of the spec's paths, built once at start-up: a tree of path segments in which a
 * literal segment is a map lookup and a `{param}` segment matches any one segment. Finding a
 * path's declared methods costs one step per segment, whatever the size of the spec.
 */
import type { OperationInfo } from './spec.js';

interface Node {
  readonly literal: Map<string, Node>;
  param: Node | undefined;
  /** Declared methods (upper case, spec order) when a path ends here. */
  methods: string[] | undefined;
}

const node = (): Node => ({ literal: new Map(), param: undefined, methods: undefined });

/** Looks up the methods the spec declares for a concrete request path. */
export interface PathIndex {
  /** The declared methods for this path (upper case), or undefined for a path the spec does not declare. */
  methodsFor(path: string): readonly string[] | undefined;
}

function find(at: Node, segments: readonly string[], i: number): Node | undefined {
  if (i === segments.length) return at.methods ? at : undefined;
  const segment = segments[i]!;
  const literal = at.literal.get(segment);
  const viaLiteral = literal && find(literal, segments, i + 1);
  if (viaLiteral) return viaLiteral;
  // A template parameter never matches an empty segment ("/api/tasks/").
  return at.param && segment !== '' ? find(at.param, segments, i + 1) : undefined;
}

/** Builds the index from the contract's operations. */
export function pathIndex(operations: readonly OperationInfo[]): PathIndex {
  const root = node();
  for (const op of operations) {
    let at = root;
    for (const segment of op.path.split('/')) {
      if (/^\{[^}]+\}$/.test(segment)) at = at.param ??= node();
      else {
        const next = at.literal.get(segment) ?? node();
        at.literal.set(segment, next);
        at = next;
      }
    }
    const method = op.method.toUpperCase();
    at.methods = at.methods?.includes(method) ? at.methods : [...(at.methods ?? []), method];
  }
  return {
    methodsFor(path) {
      return find(root, path.split('/'), 0)?.methods;
    },
  };
}
