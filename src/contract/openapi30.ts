/**
 * Rewrites an OpenAPI 3.0 document's schemas into the JSON Schema Ajv understands (draft-07):
 * `nullable: true` adds null to the type (or wraps a typeless schema), boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become numbers. 3.1 documents are JSON Schema already
 * and are returned as they are.
 */
import type { OpenApiDocument } from './spec.js';

type Node = Record<string, any>;

function normaliseSchema(schema: Node): void {
  if (schema.exclusiveMinimum === true && typeof schema.minimum === 'number') {
    schema.exclusiveMinimum = schema.minimum;
    delete schema.minimum;
  } else if (typeof schema.exclusiveMinimum === 'boolean') delete schema.exclusiveMinimum;
  if (schema.exclusiveMaximum === true && typeof schema.maximum === 'number') {
    schema.exclusiveMaximum = schema.maximum;
    delete schema.maximum;
  } else if (typeof schema.exclusiveMaximum === 'boolean') delete schema.exclusiveMaximum;
  if (schema.nullable !== true) {
    delete schema.nullable;
    return;
  }
  delete schema.nullable;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    return;
  }
  const inner = { ...schema };
  for (const key of Object.keys(schema)) delete schema[key];
  schema.anyOf = [inner, { type: 'null' }];
}

/** Walks every object; those carrying schema keywords are normalised (after their children). */
function walk(node: unknown, seen: Set<object>): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  for (const child of Object.values(node)) walk(child, seen);
  const object = node as Node;
  if ('nullable' in object || 'exclusiveMinimum' in object || 'exclusiveMaximum' in object) normaliseSchema(object);
}

/** Returns a document whose schemas Ajv can compile: a normalised copy for 3.0, the same one for 3.1. */
export function schemaDocument(document: OpenApiDocument): OpenApiDocument {
  if (String(document.openapi ?? '').startsWith('3.1')) return document;
  const copy = structuredClone(document);
  walk(copy, new Set());
  return copy;
}
