/**
 * One Ajv per loaded document, shared by request validation and the mock's body check: the
 * schema copy (src/contract/openapi30.ts) registered once, because registering a large document
 * is the dearest part of start-up (Ajv walks every node; about 0.4 s for GitHub's). A document
 * whose schemas reuse an `$id` is registered again without ids, and the reason is kept for the
 * caller to report (or, in strict mode, refuse).
 */
import type { Ajv } from 'ajv';
import { createAjv } from './ajv.js';
import { schemaDocument } from './openapi30.js';
import type { OpenApiDocument } from './spec.js';

/** The registered schema copy of one document. */
export interface SchemaRegistry {
  readonly ajv: Ajv;
  /** The schema copy the refs point into. */
  readonly document: OpenApiDocument;
  /** Why the copy had to leave out every `$id`, when it had to. */
  readonly droppedIds?: string;
}

const registries = new WeakMap<OpenApiDocument, SchemaRegistry>();

/** The registry of `document`, built on first use; throws when even the copy without ids is refused. */
export function schemaRegistry(document: OpenApiDocument): SchemaRegistry {
  let registry = registries.get(document);
  if (registry) return registry;
  try {
    const copy = schemaDocument(document, { forAjv: true });
    registry = { ajv: createAjv(copy), document: copy };
  } catch (error) {
    const copy = schemaDocument(document, { forAjv: true, dropIds: true });
    registry = { ajv: createAjv(copy), document: copy, droppedIds: (error instanceof Error ? error.message : String(error)).split('\n')[0] };
  }
  registries.set(document, registry);
  return registry;
}
