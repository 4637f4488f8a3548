/**
 * Makes the copy of an OpenAPI document that Ajv compiles. OpenAPI 3.0 idioms become JSON Schema
 * (`nullable: true` adds null to the type or wraps a typeless schema; boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become numbers) — in 3.0 documents, and in 3.1 documents
 * that still use them, as published ones do. The copy leaves out what validation never reads and
 * what Ajv would misread: `example`/`examples` data (an `$id` inside an example is not a schema
 * id) and `x-` extensions. Keys of name maps (`properties`, `components.schemas` …) are never
 * taken for keywords, so a property called `nullable` or `example` survives.
 */
import { isIndexKey, statusMap } from './status-map.js';
import type { OpenApiDocument } from './spec.js';

type Node = Record<string, any>;

/** Keys whose value maps names to nodes (schemas, parameters, media types …), never keywords. */
const NAME_MAPS = new Set([
  'properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas',
  'paths', 'webhooks', 'schemas', 'parameters', 'responses', 'requestBodies', 'headers', 'securitySchemes',
  'links', 'callbacks', 'pathItems', 'content', 'encoding',
]);
/** Keys whose value is instance data: copied as is, never walked. */
const DATA = new Set(['enum', 'const', 'default']);
/** Keys validation never reads; left out of the copy. */
const DROPPED = new Set(['example', 'examples']);

function normaliseSchema(schema: Node): Node {
  if (schema.exclusiveMinimum === true && typeof schema.minimum === 'number') {
    schema.exclusiveMinimum = schema.minimum;
    delete schema.minimum;
  } else if (typeof schema.exclusiveMinimum === 'boolean') delete schema.exclusiveMinimum;
  if (schema.exclusiveMaximum === true && typeof schema.maximum === 'number') {
    schema.exclusiveMaximum = schema.maximum;
    delete schema.maximum;
  } else if (typeof schema.exclusiveMaximum === 'boolean') delete schema.exclusiveMaximum;
  if (typeof schema.nullable !== 'boolean') return schema;
  const nullable = schema.nullable;
  delete schema.nullable;
  if (!nullable) return schema;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    return schema;
  }
  if (Array.isArray(schema.type)) {
    if (!schema.type.includes('null')) schema.type = [...schema.type, 'null'];
    return schema;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

interface CopyOptions {
  /** Leave out examples and extensions (the copy Ajv registers); otherwise they are kept as they are. */
  readonly forAjv: boolean;
  readonly dropIds: boolean;
}

const isNameMap = (key: string, value: unknown) => NAME_MAPS.has(key) && !!value && typeof value === 'object' && !Array.isArray(value);

function copyNode(node: unknown, mode: 'node' | 'map', options: CopyOptions): unknown {
  if (Array.isArray(node)) return node.map((item) => copyNode(item, 'node', options));
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node);
  // Integer-like keys come first in order: a responses map ('200', '404') gets a compact store.
  const out: Node = entries.length > 0 && isIndexKey(entries[0]![0]) ? statusMap() : {};
  for (const [key, value] of entries) {
    if (mode === 'map') out[key] = copyNode(value, 'node', options);
    else if (DROPPED.has(key) || key.startsWith('x-')) {
      if (!options.forAjv) out[key] = value;
    } else if (options.dropIds && key === '$id') continue;
    else if (DATA.has(key)) out[key] = value;
    else out[key] = copyNode(value, isNameMap(key, value) ? 'map' : 'node', options);
  }
  return mode === 'node' ? normaliseSchema(out) : out;
}

/** Whether any schema position holds a 3.0 idiom (`nullable`, a boolean exclusive bound). */
function hasIdioms(node: unknown, mode: 'node' | 'map'): boolean {
  if (Array.isArray(node)) return node.some((item) => hasIdioms(item, 'node'));
  if (!node || typeof node !== 'object') return false;
  const object = node as Node;
  if (mode === 'node' && (typeof object.nullable === 'boolean' || typeof object.exclusiveMinimum === 'boolean' || typeof object.exclusiveMaximum === 'boolean')) return true;
  return Object.entries(object).some(([key, value]) =>
    mode === 'map' ? hasIdioms(value, 'node') : !DROPPED.has(key) && !key.startsWith('x-') && !DATA.has(key) && hasIdioms(value, isNameMap(key, value) ? 'map' : 'node'),
  );
}

/**
 * Returns `document` with its 3.0 idioms normalised: a copy, or for a 3.1 document without any
 * the document itself. `forAjv` makes the copy Ajv registers (see the file comment) and always
 * copies; `dropIds` also leaves out every `$id`, the fallback for documents whose schemas reuse one.
 */
export function schemaDocument(document: OpenApiDocument, options: { dropIds?: boolean; forAjv?: boolean } = {}): OpenApiDocument {
  const copy = { forAjv: options.forAjv === true, dropIds: options.dropIds === true };
  if (!copy.forAjv && !copy.dropIds && String(document.openapi ?? '').startsWith('3.1') && !hasIdioms(document, 'node')) return document;
  return copyNode(document, 'node', copy) as OpenApiDocument;
}
