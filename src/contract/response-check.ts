/**
 * Outside production, checks a handler's result against the responses its operation declares:
 * an undeclared status, a body where none is declared, or a body that breaks the schema is a
 * server bug, reported as a 500 whose violations go to the log only.
 */
import { InternalFault, internalError } from '../errors.js';
import type { OperationValidators } from './operation-validators.js';

/** Throws a 500 ApiError when the response breaks the contract; returns quietly otherwise. */
export function checkResponse(validators: OperationValidators, status: number, body: unknown): void {
  const responses = validators.responses;
  if (!responses) return;
  const declared = responses.get(String(status)) ?? responses.get(`${String(status)[0]}XX`) ?? responses.get('DEFAULT');
  const violation = (reason: string, details?: unknown) => internalError(new InternalFault(`response breaks the contract: ${reason}`, details));
  if (!declared) throw violation(`status ${status} is not declared`);
  if (body === undefined) {
    if (declared.hasContent) throw violation(`status ${status} declares a body and none was sent`);
    return;
  }
  if (!declared.hasContent) throw violation(`status ${status} declares no body`);
  if (declared.json && !declared.json(body)) {
    throw violation(`body of ${status}`, declared.json.errors?.map((e) => `${e.instancePath} ${e.message}`));
  }
}
