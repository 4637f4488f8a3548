/**
 * Request validators whose work is bounded by the violations they find. Ajv with `allErrors`
 * lists every violation: a 1 MB body can hold 90,000 undeclared properties (90,000 error objects),
 * and across `$ref`s Ajv concatenates each subschema's errors, so an array of 80,000 invalid
 * items costs seconds (the work grows with the square of the errors). Ajv's `code.process` hook
 * rewrites each compiled validator so it throws as soon as it holds CHECK_LIMIT errors; that
 * partial list is the report. Only `anyOf`, `oneOf`, `not`, `if` and `contains` ever discard
 * errors (a later branch may still pass), so when the document uses one of them, a validation cut
 * short is decided again by a validator that stops at the first error (made when first needed).
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';

/** Violations collected before validation stops; `detail` then says "at least" this many. */
export const CHECK_LIMIT = 1000;

const STOPPED = 'specgateValidationStopped';
/** The code Ajv generates where a composite keyword discards the errors of a failed branch. */
const DISCARDS_ERRORS = /\berrors = _errs\d+;/;

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
 * A compiler of bounded validators over Ajv instances that `make` creates for the document:
 * one with the stopAtLimit rewrite, and (only if needed) one without `allErrors`.
 */
export function boundedCompiler(make: (options: { process?: (code: string) => string; allErrors?: boolean }) => Ajv): (schema: object) => BoundedValidator {
  let discards = false;
  const limited = make({
    process(code) {
      discards ||= DISCARDS_ERRORS.test(code);
      return stopAtLimit(code);
    },
  });
  let firstErrorAjv: Ajv | undefined;
  return (schema) => {
    const validate = limited.compile(schema);
    let firstError: ValidateFunction | undefined;
    return function boundedValidator(data) {
      try {
        return validate(data) ? VALID : { valid: false, errors: validate.errors ?? [], stopped: false };
      } catch (thrown) {
        const errors = stoppedErrors(thrown);
        if (errors === undefined) throw thrown;
        if (discards) {
          firstError ??= (firstErrorAjv ??= make({ allErrors: false })).compile(schema);
          if (firstError(data)) return VALID;
        }
        return { valid: false, errors, stopped: true };
      }
    };
  };
}
