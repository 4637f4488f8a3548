/**
 * Translates whatever was thrown — our ApiErrors, body-parser errors, express-openapi-validator
 * errors, driver errors — into one ApiError. Library messages stop here.
 */
import { translateDbError } from '../db/errors.js';
import {
  ApiError,
  internalError,
  invalidJson,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  unsupportedMediaType,
  validationError,
  type ValidationIssue,
} from '../errors.js';
import { BODY_LIMIT } from './body.js';

const LOCATIONS: Record<string, ValidationIssue['location']> = {
  body: 'body',
  query: 'query',
  params: 'path',
  path: 'path',
  headers: 'header',
  header: 'header',
};

interface LibraryError {
  status?: number;
  type?: string;
  errors?: { path?: string; message?: string }[];
}

/** Turns "/body/title" into {location: body, path: /title}; "/query/limit" into {query, limit}. */
function issueFrom(raw: { path?: string; message?: string }): ValidationIssue {
  const [, first = '', ...rest] = (raw.path ?? '').split('/');
  const location = LOCATIONS[first] ?? 'body';
  const path = location === 'body' ? (rest.length > 0 ? `/${rest.join('/')}` : '') : rest.join('/');
  return { location, path, message: raw.message ?? 'is invalid' };
}

/** Maps anything thrown in the pipeline to the ApiError the client will see. */
export function toApiError(error: unknown, declaredContentTypes: readonly string[] = []): ApiError {
  if (error instanceof ApiError) return error;
  const fromDb = translateDbError(error);
  if (fromDb) return fromDb;
  if (error instanceof URIError) return validationError([{ location: 'path', path: '', message: 'is not a valid URL encoding' }]);
  const lib = (error ?? {}) as LibraryError;
  switch (lib.type) {
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
  switch (lib.status) {
    case 400:
      return validationError((lib.errors ?? []).map(issueFrom));
    case 404:
      return notFound();
    case 405:
      return methodNotAllowed('This method', ['OPTIONS']);
    case 413:
      return payloadTooLarge(BODY_LIMIT);
    case 415:
      return unsupportedMediaType(declaredContentTypes);
  }
  return internalError(error);
}
