/**
 * Checks a mock body against the schema the document declares for it, with the same schema copy
 * and Ajv settings as request validation (src/contract/ajv.ts), built on the first mock answer of
 * a document rather than at start-up. A schema that cannot compile counts as matching: the mock
 * then answers its best effort, and the start-up warnings of request validation name the schema.
 */
import type { Ajv, ValidateFunction } from 'ajv';
import { createAjv, SPEC_ID } from '../contract/ajv.js';
import { schemaDocument } from '../contract/openapi30.js';
import type { OpenApiDocument } from '../contract/spec.js';

const ajvs = new WeakMap<OpenApiDocument, Ajv | null>();
const compiled = new WeakMap<Ajv, Map<string, ValidateFunction | null>>();

function ajvFor(document: OpenApiDocument): Ajv | null {
  let ajv = ajvs.get(document);
  if (ajv !== undefined) return ajv;
  try {
    ajv = createAjv(schemaDocument(document), { coerce: false });
  } catch {
    try {
      ajv = createAjv(schemaDocument(document, { dropIds: true }), { coerce: false });
    } catch {
      ajv = null;
    }
  }
  ajvs.set(document, ajv);
  return ajv;
}

/** Whether `value` matches the schema at JSON pointer `pointer` of `document` (a compile failure counts as a match). */
export function matchesSchemaAt(document: OpenApiDocument, pointer: string, value: unknown): boolean {
  const ajv = ajvFor(document);
  if (!ajv) return true;
  let byPointer = compiled.get(ajv);
  if (!byPointer) compiled.set(ajv, (byPointer = new Map()));
  let validate = byPointer.get(pointer);
  if (validate === undefined) {
    try {
      validate = ajv.compile({ $ref: `${SPEC_ID}#${pointer}` });
    } catch {
      validate = null;
    }
    byPointer.set(pointer, validate);
  }
  return validate === null || validate(value) === true;
}
