/**
 * Translates whatever was thrown — our ApiErrors, body-parser errors, driver errors — into one
 * ApiError. Library messages stop here; anything unknown is a 500.
 */
import { translateDbError } from '../db/errors.js';
import { ApiError, internalError, invalidJson, payloadTooLarge, unsupportedMediaType, validationError } from '../errors.js';
import { BODY_LIMIT } from './body.js';

/** Maps anything thrown in the pipeline to the ApiError the client will see. */
export function toApiError(error: unknown, declaredContentTypes: readonly string[] = []): ApiError {
  if (error instanceof ApiError) return error;
  const fromDb = translateDbError(error);
  if (fromDb) return fromDb;
  if (error instanceof URIError) return validationError([{ location: 'path', path: '', message: 'is not a valid URL encoding' }]);
  // body-parser (raw-body) marks its errors with a `type`.
  switch ((error as { type?: unknown } | null)?.type) {
    case 'entity.parse.failed':
      return invalidJson();
    case 'entity.too.large':
      return payloadTooLarge(BODY_LIMIT);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return unsupportedMediaType(declaredContentTypes);
    case 'request.aborted':
    case 'request.size.invalid':
      return validationError([{ location: 'body', path: '', message: 'the body was incomplete' }]);
  }
  return internalError(error);
}
