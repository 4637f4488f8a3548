/** The response checks of an operation: per declared status, the JSON body's validator and whether it declares content. */
import type { ValidateFunction } from 'ajv';
import { pointerSegment, SPEC_ID } from './ajv.js';
import { unthrowing } from './bounded-validator.js';
import { canonicalPointer, followRefsStrictly } from './refs.js';
import type { OperationInfo } from './spec.js';
import { isJson, operationPointer, type ValidatorCompiler } from './validator-compiler.js';

/** Declared responses by status key ('200', '4XX', 'default'). */
export type ResponseValidators = ReadonlyMap<string, { json: ValidateFunction | undefined; hasContent: boolean }>;

/** Compiles the response checks of `op`; a response that cannot be followed is skipped (or refused, in strict mode). */
export function compileResponses(compiler: ValidatorCompiler, op: OperationInfo): ResponseValidators {
  const { document: doc } = compiler.registered();
  const where = operationPointer(op);
  const map = new Map<string, { json: ValidateFunction | undefined; hasContent: boolean }>();
  for (const [status, raw] of Object.entries<any>(doc.paths[op.path][op.method].responses ?? {})) {
    try {
      const { value, pointer } = followRefsStrictly(doc, raw, `${where}/responses/${status}`);
      const jsonType = Object.keys(value.content ?? {}).find(isJson);
      const location = jsonType ? `${pointer}/content/${pointerSegment(jsonType)}/schema` : '';
      const schema = jsonType ? value.content[jsonType].schema : undefined;
      const json = schema ? unthrowing(compiler.compile(op.operationId, location, () => compiler.compileShared({ $ref: `${SPEC_ID}#${canonicalPointer(doc, schema, location)}` }))) : undefined;
      map.set(status.toUpperCase(), { json, hasContent: Object.keys(value.content ?? {}).length > 0 });
    } catch (error) {
      compiler.skip(op.operationId, `${where}/responses/${status}`, error);
    }
  }
  return map;
}
