/**
 * Ajv for the contract tests: compiles each schema of the document once (cached by identity)
 * and says whether a value is valid, or lists why it is not. Ajv reads OpenAPI 3.0 `nullable` itself.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Schema } from './spec.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateFormats: true, validateSchema: false, logger: false }));
ajv.addKeyword('example').addKeyword('discriminator').addKeyword('xml').addKeyword('externalDocs');
const compiled = new WeakMap<object, ReturnType<Ajv['compile']>>();

function validatorFor(schema: Schema) {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Whether `value` satisfies `schema`. */
export function isValid(schema: Schema, value: unknown): boolean {
  return validatorFor(schema)(value) === true;
}

/** The violations of `value` against `schema`, as `path message` lines (empty when valid). */
export function violations(schema: Schema, value: unknown): string[] {
  const validate = validatorFor(schema);
  if (validate(value) === true) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
