/** The request body check of an operation: one bounded validator per declared JSON media type. */
import { pointerSegment, SPEC_ID } from './ajv.js';
import { bounded, type BoundedValidator } from './bounded-validator.js';
import { canonicalPointer, followRefsStrictly } from './refs.js';
import type { OperationInfo } from './spec.js';
import { isJson, operationPointer, type ValidatorCompiler } from './validator-compiler.js';

/** Whether a body is required, and the declared media types, each with a validator when it is JSON. */
export interface RequestBodyValidators {
  readonly required: boolean;
  readonly media: ReadonlyMap<string, BoundedValidator | undefined>;
}

/** Compiles the request body check of `op`, or undefined when it declares no body (or its body cannot be followed, non-strict). */
export function compileRequestBody(compiler: ValidatorCompiler, op: OperationInfo): RequestBodyValidators | undefined {
  const { document: doc } = compiler.registered();
  const where = `${operationPointer(op)}/requestBody`;
  const declared = doc.paths[op.path][op.method].requestBody;
  if (!declared) return undefined;
  try {
    const { value: body, pointer } = followRefsStrictly(doc, declared, where);
    const media = new Map<string, BoundedValidator | undefined>();
    for (const [type, content] of Object.entries<any>(body.content ?? {})) {
      const location = `${pointer}/content/${pointerSegment(type)}/schema`;
      const ref = `${SPEC_ID}#${canonicalPointer(doc, content?.schema, location)}`;
      const check = () => bounded(compiler.compile(op.operationId, location, () => compiler.compileShared({ $ref: ref })), compiler.recheck(ref));
      media.set(type.toLowerCase(), isJson(type) && content?.schema ? check() : undefined);
    }
    return { required: body.required === true, media };
  } catch (error) {
    compiler.skip(op.operationId, where, error);
    return undefined;
  }
}
