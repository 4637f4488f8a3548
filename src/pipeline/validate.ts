/**
 * The validate stage: reports a deferred body-reading failure, then validates the request against the
 * operation's validators compiled at start-up (src/contract/operation-validators.ts): parameters
 * coerced to their declared types with defaults, the content type, and the JSON body — every
 * violation up to a bound (src/contract/bounded-validator.ts), at most 20 listed. No string may
 * hold U+0000 (src/pipeline/nul-characters.ts). A body sent to an operation that declares none is
 * refused: the contract says nothing may be sent. The typed input for the handler is built here,
 * from copies.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { ErrorObject } from 'ajv';
import { CHECK_LIMIT, type Verdict } from '../contract/bounded-validator.js';
import type { OperationValidators, ValidatorSet } from '../contract/operation-validators.js';
import { unsupportedMediaType, validationError, type ApiError, type ValidationIssue } from '../errors.js';
import { mediaTypeOf, sendsBody } from './body.js';
import { holdsNul, nulCharacterPaths } from './nul-characters.js';
import type { RequestStage } from './stage.js';
import { stateOf, type RequestState } from './state.js';
import { bodyIssues, parameterIssues } from './validation-issues.js';

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
  const nul = cutShort || !holdsNul(data) ? [] : nulCharacterPaths(data, CHECK_LIMIT);
  if (verdict.valid && nul.length === 0) return undefined;
  const stopped = cutShort || nul.length >= CHECK_LIMIT;
  return validationError(issues(verdict.valid ? [] : verdict.errors, nul), undefined, { stopped });
}

const noBodyDeclared = () =>
  validationError([{ location: 'body', path: '', message: 'this operation takes no request body' }], 'This operation takes no request body; send none.');

function validateBody(req: IncomingMessage, state: RequestState, validators: OperationValidators): unknown {
  const declared = validators.requestBody;
  const sent = sendsBody(req) && (state.rawBody === undefined || state.rawBody.length > 0);
  if (!declared) {
    if (sent) throw noBodyDeclared();
    return undefined;
  }
  if (!sent) {
    if (declared.required) throw validationError([{ location: 'body', path: '', message: 'a request body is required' }]);
    return undefined;
  }
  const match = declaredMatch(declared.media, mediaTypeOf(req));
  if (match === undefined) throw unsupportedMediaType([...declared.media.keys()]);
  const validate = declared.media.get(match);
  const body = state.body;
  if (body === undefined) {
    if (validate && declared.required) throw validationError([{ location: 'body', path: '', message: 'a request body is required' }]);
    return body;
  }
  // A JSON media type declared without a schema still holds no U+0000.
  const refused = violations(validate ? validate(body) : { valid: true }, body, bodyIssues);
  if (refused) throw refused;
  return body;
}

/** Creates the validate stage over the compiled validators. */
export function validate(validators: ValidatorSet): RequestStage {
  return function validateStage(req, res, next) {
    const state = stateOf(res);
    if (state.bodyError !== undefined) return next(state.bodyError);
    const compiled = validators.get(state.operation!.operationId);
    const header: Record<string, unknown> = {};
    for (const name of compiled.headerNames) if (req.headers[name] !== undefined) header[name] = req.headers[name];
    // node:querystring is Express 5's own "simple" query parser; a URL without a query skips it.
    const query: Record<string, unknown> = state.search === undefined ? {} : { ...parseQuery(state.search) };
    const parameters = { path: { ...state.pathParams }, query, header };
    const refused = violations(compiled.parameters(parameters), parameters, parameterIssues);
    if (refused) return next(refused);
    state.input = { path: parameters.path, query, header, body: validateBody(req, state, compiled) };
    next();
  };
}
