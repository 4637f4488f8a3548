/**
 * Stage 7: reports a deferred body-parsing failure, then validates the request against the
 * operation's validators compiled at start-up (src/contract/operation-validators.ts): parameters
 * coerced to their declared types with defaults, the content type, and the JSON body — every
 * violation up to a bound (src/contract/bounded-validator.ts), at most 20 listed. No string may
 * hold U+0000 (src/pipeline/nul-characters.ts). The typed input for the handler is built here,
 * from copies: req.params, req.query and req.body are never changed.
 */
import type { Request, RequestHandler } from 'express';
import type { ErrorObject } from 'ajv';
import { CHECK_LIMIT, type Verdict } from '../contract/bounded-validator.js';
import type { OperationValidators, ValidatorSet } from '../contract/operation-validators.js';
import { unsupportedMediaType, validationError, type ApiError, type ValidationIssue } from '../errors.js';
import { nulCharacterPaths } from './nul-characters.js';
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

/** The validation_error for a verdict on `data` and the U+0000 found in it; undefined when both are clean. */
function violations(
  verdict: Verdict,
  data: unknown,
  issues: (errors: readonly ErrorObject[], nulPaths: readonly string[][]) => ValidationIssue[],
): ApiError | undefined {
  const cutShort = !verdict.valid && verdict.stopped;
  // A report already cut short gains nothing from a second walk over the data.
  const nul = cutShort ? [] : nulCharacterPaths(data, CHECK_LIMIT);
  if (verdict.valid && nul.length === 0) return undefined;
  const stopped = cutShort || nul.length >= CHECK_LIMIT;
  return validationError(issues(verdict.valid ? [] : verdict.errors, nul), undefined, { stopped });
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
  const refused = violations(validate(body), body, bodyIssues);
  if (refused) throw refused;
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
    const refused = violations(compiled.parameters(parameters), parameters, parameterIssues);
    if (refused) return next(refused);
    state.input = { path: parameters.path, query, header, body: validateBody(req, compiled) };
    next();
  };
}
