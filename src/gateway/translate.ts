/**
 * Turns an upstream's error answer (status ≥ 400) into the uniform Error body: FastAPI's and
 * Django REST framework's `{"detail": "…"}` keeps its detail, FastAPI's 422 list and DRF's
 * field-error object (`{"name": ["This field is required."]}`) become a validation_error with
 * `errors`, and an HTML page or any other non-JSON body becomes a generic
 * detail — the upstream's status is kept, its page never reaches the client.
 */
import { STATUS_CODES } from 'node:http';
import { type ApiError, ERROR_HEADERS, relayedError, type ErrorType, type ValidationIssue } from '../errors.js';

/** At most this many entries of an upstream's validation list are passed on; the total goes in the detail. */
export const MAX_ISSUES = 20;
/** An upstream detail longer than this is cut. */
const MAX_DETAIL = 500;

const TYPE_BY_STATUS: Readonly<Record<number, ErrorType>> = {
  401: 'authentication_error',
  403: 'authorization_error',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  410: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  431: 'headers_too_large',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** The error_type for an upstream status: the catalogue's class for it, else validation_error (4xx) or internal_error (5xx). */
export const errorTypeFor = (status: number): ErrorType => TYPE_BY_STATUS[status] ?? (status < 500 ? 'validation_error' : 'internal_error');

const GENERIC_5XX = 'The upstream service failed. Quote the request id when reporting it.';

const LOCATIONS = new Set(['path', 'query', 'header', 'body']);

/** One FastAPI / pydantic error (`{loc, msg, type}`) as a ValidationIssue. */
function issue(entry: any): ValidationIssue {
  const loc: unknown[] = Array.isArray(entry?.loc) ? entry.loc : [];
  const first = String(loc[0] ?? 'body');
  const location = (LOCATIONS.has(first) ? first : first === 'cookie' ? 'header' : 'body') as ValidationIssue['location'];
  const rest = LOCATIONS.has(first) || first === 'cookie' ? loc.slice(1) : loc;
  const path = location === 'body' ? rest.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('') : String(rest[0] ?? '');
  return { location, path, message: typeof entry?.msg === 'string' ? entry.msg.slice(0, MAX_DETAIL) : 'is invalid' };
}

const pointer = (path: readonly string[]) => path.map((p) => `/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/**
 * DRF's field errors as ValidationIssues: an object whose every value is a list of messages or a
 * nested such object (a nested serializer, a list of them); `non_field_errors` is the body itself.
 * Anything else (a `detail`, another shape) gives none.
 */
function fieldErrors(parsed: unknown, path: string[] = []): ValidationIssue[] {
  if (!parsed || typeof parsed !== 'object' || (path.length === 0 && 'detail' in parsed)) return [];
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    const at = key === 'non_field_errors' ? path : [...path, key];
    if (Array.isArray(value) && value.every((m) => typeof m === 'string')) {
      for (const message of value) issues.push({ location: 'body', path: pointer(at), message: message.slice(0, MAX_DETAIL) });
    } else if (value && typeof value === 'object') {
      const nested = fieldErrors(value, at);
      if (nested.length === 0) return [];
      issues.push(...nested);
    } else return [];
  }
  return issues;
}

const isJson = (contentType: string | undefined) => contentType !== undefined && /^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim());

/** The ApiError a client gets for an upstream error answer; `headers` are the upstream's, lower-cased. */
export function translateUpstreamError(status: number, contentType: string | undefined, body: Buffer, headers: Record<string, string | string[] | undefined>): ApiError {
  const kept: Record<string, string> = {};
  for (const name of ERROR_HEADERS) {
    const value = headers[name.toLowerCase()];
    if (typeof value === 'string') kept[name] = value;
  }
  const errorType = errorTypeFor(status);
  const generic = status >= 500 ? GENERIC_5XX : `The upstream service refused the request (${status} ${STATUS_CODES[status] ?? 'error'}).`;
  let parsed: any;
  if (isJson(contentType)) {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parsed = undefined;
    }
  }
  const detail = parsed?.detail;
  if (Array.isArray(detail)) {
    const issues = detail.slice(0, MAX_ISSUES).map(issue);
    const summary = detail.length > MAX_ISSUES ? `The request does not match what the service accepts (${detail.length} problems, first ${MAX_ISSUES} listed).` : 'The request does not match what the service accepts.';
    return relayedError(status, 'validation_error', summary, kept, issues);
  }
  const fields = status < 500 ? fieldErrors(parsed) : [];
  if (fields.length > 0) {
    const summary = fields.length > MAX_ISSUES ? `The request does not match what the service accepts (${fields.length} problems, first ${MAX_ISSUES} listed).` : 'The request does not match what the service accepts.';
    return relayedError(status, 'validation_error', summary, kept, fields.slice(0, MAX_ISSUES));
  }
  const message = [detail, parsed?.message, parsed?.error].find((m): m is string => typeof m === 'string' && m.trim() !== '');
  return relayedError(status, errorType, message === undefined ? generic : message.slice(0, MAX_DETAIL), kept);
}
