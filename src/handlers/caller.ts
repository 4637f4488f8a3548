/** The verified caller of a secured operation, as the authenticate stage established it. */
import { InternalFault, internalError } from '../errors.js';

/** Returns the caller's id; a secured handler reached without one is a server bug, not a 401. */
export function callerOf(input: { readonly userId: string | undefined }): string {
  if (input.userId === undefined) throw internalError(new InternalFault('secured handler reached without a verified caller'));
  return input.userId;
}
