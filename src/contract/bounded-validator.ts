/**
 * Request validators whose work is bounded by the violations they find. Ajv with `allErrors`
 * lists every violation: a 1 MB body can hold 90,000 undeclared properties (90,000 error objects),
 * and across `$ref`s Ajv concatenates each subschema's errors, so an array of 80,000 invalid
 * items costs seconds (the work grows with the square of the errors). Ajv's `code.process` hook
 * rewrites each compiled validator so it throws as soon as it holds CHECK_LIMIT errors; that
 * partial list is the report. Errors inside `anyOf`, `oneOf`, `not`, `if` and `contains` may still
 * be discarded by a later branch, so a validation cut short is decided again by a validator that
 * stops at the first error (compiled on the first such request, then kept).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';

/** Violations collected before validation stops; `detail` reports "CHECK_LIMIT or more". */
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

/** Validates one value (coercing it when the validator coerces). */
export type BoundedValidator = (data: unknown) => Verdict;

const VALID: Verdict = Object.freeze({ valid: true });

const stoppedErrors = (thrown: unknown): ErrorObject[] | undefined =>
  thrown !== null && typeof thrown === 'object' && STOPPED in thrown ? (thrown as Record<string, ErrorObject[]>)[STOPPED] : undefined;

/**
 * Wraps a validator compiled with stopAtLimit; `firstError` compiles the same schema without
 * `allErrors` and is called at most once, when a validation is first cut short.
 */
export function bounded(limited: ValidateFunction, firstError: () => ValidateFunction): BoundedValidator {
  let decider: ValidateFunction | undefined;
  return function boundedValidator(data) {
    try {
      return limited(data) ? VALID : { valid: false, errors: limited.errors ?? [], stopped: false };
    } catch (thrown) {
      const errors = stoppedErrors(thrown);
      if (errors === undefined) throw thrown;
      decider ??= firstError();
      return decider(data) ? VALID : { valid: false, errors, stopped: true };
    }
  };
}
