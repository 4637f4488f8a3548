/**
 * The Ajv instances that compile the spec's schemas: JSON Schema 2020-12 for OpenAPI 3.1 and
 * draft-07 (with `nullable`) for 3.0, the OpenAPI formats, and the whole document registered as
 * `spec` so every `$ref` resolves by JSON pointer without copying schemas. `uuid` is the canonical
 * 8-4-4-4-12 hex form only: ajv-formats also accepts a `urn:uuid:` prefix, which Postgres refuses.
 */
import { Ajv, type Options } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from './spec.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The id under which the OpenAPI document is registered; refs look like `spec#/components/…`. */
export const SPEC_ID = 'spec';

const INT32 = 2 ** 31;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How an Ajv for the document behaves. */
export interface AjvOptions {
  /** Turn parameter strings into their declared types and fill in parameter defaults. */
  readonly coerce: boolean;
  /** Collect every violation (true, the default) or stop at the first (false). */
  readonly allErrors?: boolean;
  /** Rewrites the generated code of every validator (src/contract/bounded-validator.ts). */
  readonly process?: (code: string) => string;
}

/** Creates an Ajv for the document. */
export function createAjv(document: OpenApiDocument, options: AjvOptions): Ajv {
  const settings: Options = {
    allErrors: options.allErrors ?? true,
    strict: false,
    validateSchema: false,
    logger: false,
    inlineRefs: false,
    // Parameter defaults are filled into our copies; bodies are never changed (no defaults there).
    useDefaults: options.coerce,
    coerceTypes: options.coerce ? 'array' : false,
    ...(options.process ? { code: { process: options.process } } : {}),
  };
  const ajv = String(document.openapi ?? '').startsWith('3.1') ? new Ajv2020(settings) : new Ajv(settings);
  addFormats(ajv);
  ajv.addFormat('uuid', UUID);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  for (const name of ['float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(name, true);
  ajv.addSchema(document, SPEC_ID);
  return ajv;
}

/** Escapes one JSON-pointer segment. */
export const pointerSegment = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
