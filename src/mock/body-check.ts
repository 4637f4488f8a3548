/**
 * Checks a mock body against the schema the document declares for it, with the Ajv request
 * validation uses (src/contract/schema-registry.ts), so the document is registered once. A schema
 * that cannot compile counts as matching: the mock then answers its best effort, and request
 * validation's start-up warnings name the schema.
 */
import type { ValidateFunction } from 'ajv';
import { SPEC_ID } from '../contract/ajv.js';
import { schemaRegistry } from '../contract/schema-registry.js';
import type { OpenApiDocument } from '../contract/spec.js';

const compiled = new WeakMap<OpenApiDocument, Map<string, ValidateFunction | null>>();

/** Whether `value` matches the schema at JSON pointer `pointer` of `document` (a compile failure counts as a match). */
export function matchesSchemaAt(document: OpenApiDocument, pointer: string, value: unknown): boolean {
  let byPointer = compiled.get(document);
  if (!byPointer) compiled.set(document, (byPointer = new Map()));
  let validate = byPointer.get(pointer);
  if (validate === undefined) {
    try {
      validate = schemaRegistry(document).ajv.compile({ $ref: `${SPEC_ID}#${pointer}` });
    } catch {
      validate = null;
    }
    byPointer.set(pointer, validate);
  }
  return validate === null || validate(value) === true;
}
