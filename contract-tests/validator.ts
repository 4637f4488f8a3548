/**
 * Validation for the contract tests: a schema of a loaded document is compiled once, by its
 * pointer, in that document's registry (contract-tests/registry.ts); any other schema object (a
 * test's own) in a standalone Ajv that reads OpenAPI 3.0 `nullable` itself. A schema that does
 * not compile throws a SchemaProblem naming its location.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { SchemaProblem, SchemaRegistry } from './registry.js';
import type { Schema } from './spec.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const standalone = addFormats(new Ajv({ strict: false, allErrors: true, validateFormats: true, validateSchema: false, logger: false }));
standalone.addKeyword('example').addKeyword('discriminator').addKeyword('xml').addKeyword('externalDocs');
const compiled = new WeakMap<object, ValidateFunction | SchemaProblem>();

function validatorFor(schema: Schema): ValidateFunction {
  const registry = SchemaRegistry.of(schema);
  if (registry) return registry.validator(schema);
  let validate = compiled.get(schema);
  if (!validate) {
    try {
      validate = standalone.compile(schema);
    } catch (error) {
      validate = new SchemaProblem('(standalone schema)', `the schema does not compile: ${(error as Error).message}`);
    }
    compiled.set(schema, validate);
  }
  if (validate instanceof SchemaProblem) throw validate;
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
