/**
 * Stage 7: reports a deferred body-parsing failure, then validates the request against the
 * operation's validators compiled at start-up (src/contract/operation-validators.ts): parameters
 * coerced to their declared types with defaults, the content type, and the JSON body — every
 * violation, not just the first. The typed input for the handler is built here, from copies:
 * req.params, req.query and req.body are never changed.
 */
import type { Request, RequestHandler } from 'express';
import type { OperationValidators, ValidatorSet } from '../contract/operation-validators.js';
import { unsupportedMediaType, validationError } from '../errors.js';
import { stateOf } from './state.js';
import { bodyIssues, parameterIssues } from './validation-issues.js';

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

const mediaTypeOf = (req: Request) => (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/** Finds the declared media type a request's Content-Type matches (exact, `type/*`, or `*\/*`). */
function declaredMatch(media: ReadonlyMap<string, unknown>, type: string): string | undefined {
  if (media.has(type)) return type;
  const wildcard = `${type.split('/')[0]}/*`;
  if (media.has(wildcard)) return wildcard;
  return media.has('*/*') ? '*/*' : undefined;
}

function validateBody(req: Request, validators: OperationValidators): unknown {
  const declared = validators.requestBody;
  if (!declared) return undefined;
  if (!hasBody(req)) {
    if (declared.required) throw validationError([{ location: 'body', path: '', message: 'a request body is required' }]);
    return undefined;
  }
  const match = declaredMatch(declared.media, mediaTypeOf(req));
  if (match === undefined) throw unsupportedMediaType([...declared.media.keys()]);
  const validate = declared.media.get(match);
  if (!validate) return req.body;
  const body = req.body;
  if (!validate(body)) throw validationError(bodyIssues(validate.errors ?? []));
  return body;
}

/** Creates the validate stage over the compiled validators. */
export function validate(validators: ValidatorSet): RequestHandler {
  return function validateStage(req, res, next) {
    const state = stateOf(res);
    if (state.bodyError !== undefined) return next(state.bodyError);
    const compiled = validators.get(state.operation!.operationId);
    const header: Record<string, unknown> = {};
    for (const name of compiled.headerNames) if (req.headers[name] !== undefined) header[name] = req.headers[name];
    // Express parses the query string on first read of req.query; a URL without one skips that.
    const query = req.url.includes('?') ? { ...(req.query as Record<string, unknown>) } : {};
    const parameters = { path: { ...state.pathParams }, query, header };
    if (!compiled.parameters(parameters)) return next(validationError(parameterIssues(compiled.parameters.errors ?? [])));
    state.input = { path: parameters.path, query, header, body: validateBody(req, compiled) };
    next();
  };
}
