/**
 * Type-level checks that the error renderer is typed against the spec's `Error` schema (run by
 * `npm run typecheck`; nothing here runs). src/architecture.test.ts proves the other half: with a
 * required field added to `Error`, tsc refuses src/pipeline/error-body.ts until it is handled.
 */
import type { components } from '../../generated/api.js';
import type { ApiError } from '../errors.js';
import { errorBody, type ErrorBody } from './error-body.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** The renderer returns exactly the contract's Error, not a structural look-alike. */
export const rendersTheContractsError: Equal<ReturnType<typeof errorBody>, components['schemas']['Error']> = true;

/** A body without one of today's required fields is not an Error. */
export function missingFieldIsCaught(): void {
  // @ts-expect-error error_type is required by the contract
  const partial: ErrorBody = { detail: 'x', status_code: 400, request_id: 'id' };
  void partial;
}
