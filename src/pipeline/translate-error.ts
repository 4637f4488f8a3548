/**
 * Translates whatever was thrown — our ApiErrors, driver errors, URI decoding errors — into one
 * ApiError. Library messages stop here; anything unknown is a 500.
 */
import { translateDbError } from '../db/errors.js';
import { ApiError, internalError, validationError } from '../errors.js';

/** Maps anything thrown in the pipeline to the ApiError the client will see. */
export function toApiError(error: unknown, _declaredContentTypes: readonly string[] = []): ApiError {
  if (error instanceof ApiError) return error;
  const fromDb = translateDbError(error);
  if (fromDb) return fromDb;
  if (error instanceof URIError) return validationError([{ location: 'path', path: '', message: 'is not a valid URL encoding' }]);
  return internalError(error);
}
