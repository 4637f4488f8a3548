/** Operation ids for documents that leave some out (the gateway and the mock serve any document). */
import { HTTP_METHODS, inlinePathItems, type OpenApiDocument } from './spec.js';

/** Gives every operation without an operationId one made of its method and path, on a copy. */
export function withOperationIds(document: OpenApiDocument): OpenApiDocument {
  const inline = inlinePathItems(document);
  const copy = { ...inline, paths: { ...inline.paths } };
  for (const [path, item] of Object.entries<Record<string, any>>(copy.paths ?? {})) {
    if (!item || typeof item !== 'object') continue;
    const next = { ...item };
    for (const method of HTTP_METHODS) {
      if (next[method] && typeof next[method].operationId !== 'string') next[method] = { ...next[method], operationId: `${method}${path.replace(/[^A-Za-z0-9]+/g, '_')}` };
    }
    copy.paths[path] = next;
  }
  return copy;
}
