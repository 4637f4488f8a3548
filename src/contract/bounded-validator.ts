/**
 * Request validators whose work is bounded by the violations they find. Ajv with `allErrors`
 * lists every violation: a 1 MB body can hold 90,000 undeclared properties (90,000 error objects),
 * and across `$ref`s Ajv concatenates each subschema's errors, so an array of 80,000 invalid
 * items costs seconds (the work grows with the square of the errors). Ajv's `code.process` hook
 * rewrites each compiled validator of a bounded Ajv (src/contract/ajv.ts `bounded`) so it throws
 * as soon as it holds CHECK_LIMIT errors; that partial list is the report. Only `anyOf`, `oneOf`,
 * `not`, `if` and `contains` ever discard errors (a later branch may still pass), so a validation
 * cut short is decided again, when a re-check is given, by a validator that stops at the first error.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';

/** Violations collected before validation stops; `detail` then says "at least" this many. */
export const CHECK_LIMIT = 1000;

const STOPPED = 'specgateValidationStopped';

/** Rewrites Ajv's generated code: every place that counts an error also checks the limit. */
export function stopAtLimit(code: string): string {
  const check = `if(errors>=${CHECK_LIMIT}){throw {${STOPPED}:vErrors};}`;
  return code.replace(/\berrors\+\+;/g, `errors++;${check}`).replace(/\berrors = vErrors\.length;/g, `errors = vErrors.length;${check}`);
}

/** What a bounded validation found. */
export type Verdict =
  | { readonly valid: true }
  | { readonly valid: false; readonly errors: readonly ErrorObject[]; readonly stopped: boolean };

/** Validates one value (converting parameter text in place where the validator does). */
export type BoundedValidator = (data: unknown) => Verdict;

const VALID: Verdict = Object.freeze({ valid: true });

const stoppedErrors = (thrown: unknown): ErrorObject[] | undefined =>
  thrown !== null && typeof thrown === 'object' && STOPPED in thrown ? (thrown as Record<string, ErrorObject[]>)[STOPPED] : undefined;

/** Whether a schema text uses a keyword that can discard the errors of a failed branch. */
export const mayDiscardErrors = (schemaText: string): boolean => /"(anyOf|oneOf|not|if|contains)"\s*:/.test(schemaText);

/**
 * Runs a validator of a bounded Ajv as a verdict; `recheck` (a first-error validator of the same
 * schema, made when first needed; undefined when no branch can discard errors) decides a run cut short.
 */
export function bounded(validate: ValidateFunction, recheck?: () => ValidateFunction | undefined): BoundedValidator {
  let firstError: ValidateFunction | undefined | null;
  return function boundedValidator(data) {
    try {
      return validate(data) ? VALID : { valid: false, errors: validate.errors ?? [], stopped: false };
    } catch (thrown) {
      const errors = stoppedErrors(thrown);
      if (errors === undefined) throw thrown;
      if (firstError === undefined) firstError = recheck?.() ?? null;
      if (firstError?.(data)) return VALID;
      return { valid: false, errors, stopped: true };
    }
  };
}

/** A validator of a bounded Ajv that never throws at the limit: a run cut short is invalid, with the partial errors. */
export function unthrowing(validate: ValidateFunction): ValidateFunction {
  const verdict = bounded(validate);
  const wrapper = ((data: unknown) => {
    const result = verdict(data);
    wrapper.errors = result.valid ? null : [...result.errors];
    return result.valid;
  }) as ValidateFunction;
  return Object.assign(wrapper, { schema: validate.schema, schemaEnv: validate.schemaEnv });
}
