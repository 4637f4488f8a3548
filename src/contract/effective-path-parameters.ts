/**
 * Path parameters as the pipeline takes them: the route stage refuses a value that is a dot-segment
 * (`.`, `..`) or holds an encoded `/` or `\` unless the parameter allows slashes
 * (src/pipeline/path-confusion.ts), so the effective document says so in each path parameter's
 * schema, where it is declared (inline, or under `components.parameters`), and a client or test
 * generator drawing from it never sends one.
 */
import { ALLOW_ENCODED_SLASH } from '../pipeline/path-confusion.js';

const NO_DOT_SEGMENT = { not: { enum: ['.', '..'] } };
const NO_SLASH = { pattern: '^[^/\\\\]*$' };

/** One parameter object with its schema narrowed to what the pipeline accepts when it is a path parameter; anything else as it was. */
export function pathParameterAsAccepted(param: unknown): unknown {
  const p = param as Record<string, any> | undefined;
  if (p?.in !== 'path' || !p.schema || typeof p.$ref === 'string') return param;
  const narrowing = p[ALLOW_ENCODED_SLASH] === true ? [NO_DOT_SEGMENT] : [NO_DOT_SEGMENT, NO_SLASH];
  return { ...p, schema: { allOf: [p.schema, ...narrowing] } };
}

/** A `parameters` list (or map of components) with each inline path parameter narrowed; `$ref`s are narrowed where they point. */
export function pathParametersAsAccepted<T>(parameters: T): T {
  if (Array.isArray(parameters)) return parameters.map(pathParameterAsAccepted) as T;
  if (parameters && typeof parameters === 'object') return Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, pathParameterAsAccepted(v)])) as T;
  return parameters;
}
