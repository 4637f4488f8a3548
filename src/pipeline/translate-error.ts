/**
 * Translates whatever was thrown — our ApiErrors, URI decoding errors, and what the app's own
 * translator recognises (the Tasks API's database errors) — into one ApiError. Library messages
 * stop here; anything unknown is a 500.
 */
import { ApiError, internalError, malformedEncoding } from '../errors.js';

/** An app's translator for errors of its own last stage; undefined means "not mine". */
export type ErrorTranslator = (thrown: unknown) => ApiError | undefined;

/** Maps anything thrown in the pipeline to the ApiError the client will see. */
export function toApiError(error: unknown, translate?: ErrorTranslator): ApiError {
  if (error instanceof ApiError) return error;
  const translated = translate?.(error);
  if (translated) return translated;
  if (error instanceof URIError) return malformedEncoding();
  return internalError(error);
}
