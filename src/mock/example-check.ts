/**
 * Whether a document's example really matches its schema. Real documents ship stale examples
 * (GitHub's repos/get example lacks the required `language`); the mock then answers from the
 * schema instead, so every mock body is schema-valid. Each schema is compiled once.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, validateFormats: true, validateSchema: false, logger: false }));
ajv.addKeyword('example').addKeyword('discriminator').addKeyword('xml').addKeyword('externalDocs');

/** Whether `value` matches `schema`; a schema Ajv cannot compile counts as matching. */
export function matchesSchema(schema: object, value: unknown): boolean {
  try {
    return ajv.validate(schema, value) === true;
  } catch {
    return true;
  }
}
