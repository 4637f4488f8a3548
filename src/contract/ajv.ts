/**
 * The Ajv instances that compile the spec's schemas: JSON Schema 2020-12 for OpenAPI 3.1 and
 * draft-07 for 3.0, the OpenAPI formats, a `pattern` that is valid JavaScript only without the
 * `u` flag retried without it, and the schema copy of the document (src/contract/openapi30.ts)
 * registered as `spec` so every `$ref` resolves by JSON pointer without copying schemas.
 */
import { Ajv, type Options } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from './spec.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The id under which the OpenAPI document is registered; refs look like `spec#/components/…`. */
export const SPEC_ID = 'spec';

const INT32 = 2 ** 31;

/** `new RegExp(pattern, 'u')`, or without `u` when only that makes it valid (`{…}` braces in real specs). */
const lenientRegExp = Object.assign(
  (pattern: string, flags: string) => {
    try {
      return new RegExp(pattern, flags);
    } catch (error) {
      if (!flags.includes('u')) throw error;
      return new RegExp(pattern, flags.replace('u', ''));
    }
  },
  { code: 'lenientRegExp' },
);

/** Whether the document's schemas are JSON Schema 2020-12 (OpenAPI 3.1 and later). */
export const isOpenApi31 = (document: OpenApiDocument) => /^3\.([1-9]|\d\d)/.test(String(document.openapi ?? ''));

/** An Ajv with the OpenAPI formats and settings, without any document registered. */
export function bareAjv(openApi31: boolean): Ajv {
  const settings: Options = {
    allErrors: true,
    strict: false,
    validateSchema: false,
    logger: false,
    inlineRefs: false,
    code: { regExp: lenientRegExp },
    // No coercion and no defaults: parameter text is converted by src/contract/parameter-text.ts,
    // so one instance validates parameters and bodies, and bodies are never changed.
    useDefaults: false,
    coerceTypes: false,
  };
  const ajv = openApi31 ? new Ajv2020(settings) : new Ajv(settings);
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  for (const name of ['float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(name, true);
  return ajv;
}

/**
 * Creates an Ajv with `document` (already the schema copy) registered as `spec`. Throws when Ajv
 * refuses the document (a reused `$id`). Nothing is coerced; `options` is accepted for callers
 * written when coercion was an option, and only `coerce: false` is meaningful.
 */
export function createAjv(document: OpenApiDocument, options: { coerce: false } = { coerce: false }): Ajv {
  void options;
  const ajv = bareAjv(isOpenApi31(document));
  ajv.addSchema(document, SPEC_ID);
  return ajv;
}

/** Escapes one JSON-pointer segment for use in a `$ref` fragment: `~0`, `~1`, and `%` as `%25` (Ajv percent-decodes fragments). */
export const pointerSegment = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1').replace(/%/g, '%25');
