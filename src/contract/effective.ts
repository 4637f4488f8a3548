/**
 * The contract as a client meets it: a document plus the answers specgate's pipeline adds on its
 * own — the uniform Error body on every status a stage may refuse an operation's request with,
 * `X-Request-ID` on every response, and `RateLimit`/`RateLimit-Policy`/`Retry-After` where they
 * are sent. Pure: returns a new document, never changes the one it is given. The mock publishes it
 * at GET /openapi.json (src/mock/handlers.ts); a gateway that translates its backend's errors can
 * publish it with `declaredErrors: 'replace'`. See docs/contract.md.
 */
import {
  authenticationError, headersTooLarge, internalError, invalidJson, methodNotAllowed, notFound,
  payloadTooLarge, rateLimited, serviceUnavailable, unsupportedMediaType, validationError, withValidationStatus,
} from '../errors.js';
import { EXTENSION as RATE_LIMIT } from '../limits/policy.js';
import { errorSchemaNames, errorSchemas, freeName, STAGE_HEADERS } from './error-components.js';
import { resolveRef } from './refs.js';
import { HTTP_METHODS, inlinePathItems, type OpenApiDocument } from './spec.js';

/** Which answers the last stage and the configuration add to the pipeline's own. */
export interface EffectiveOptions {
  /** Whether `x-specgate-rate-limit` is enforced (429 and the RateLimit headers on limited operations); true by default. */
  readonly rateLimits?: boolean;
  /** Statuses the last stage itself answers with the uniform Error on any operation (the mock: 400 for a `Prefer` it cannot honour). */
  readonly lastStageStatuses?: readonly number[];
  /**
   * Where the document declares one of these statuses with a body of its own: `either` (the
   * default) declares `anyOf` its schema and the Error, since the last stage may send its body
   * too; `replace` declares only the Error (a last stage that translates the backend's errors).
   */
  readonly declaredErrors?: 'either' | 'replace';
  /** The last stage answers a declared 4xx or 5xx without content with the Error body (the mock), so it is declared there. */
  readonly errorBodyWhereNone?: boolean;
}

/** Each status as the catalogue (src/errors.ts) makes it, so a change of status there shows here. */
const STATUS = {
  validation: validationError([]).status,
  unauthenticated: authenticationError('').status,
  forbidden: 403,
  notFound: notFound().status,
  methodNotAllowed: methodNotAllowed('GET', []).status,
  tooLarge: payloadTooLarge('').status,
  mediaType: unsupportedMediaType([]).status,
  headersTooLarge: headersTooLarge('').status,
  rateLimited: rateLimited(1).status,
  internal: internalError().status,
  unavailable: serviceUnavailable().status,
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request breaks the contract (`validation_error`, `invalid_json`), or names a scenario the operation does not declare.',
  401: 'No valid credentials (`authentication_error`).',
  403: 'The credentials lack a required scope (`authorization_error`).',
  404: 'No operation at this path (`not_found`).',
  405: 'The path does not declare this method (`method_not_allowed`); Allow lists those it does.',
  413: 'The request body is too large (`payload_too_large`).',
  415: 'The request body has a media type the operation does not declare (`unsupported_media_type`).',
  422: 'The request breaks the contract (`validation_error`).',
  429: 'Too many requests (`rate_limited`); Retry-After says when to try again.',
  431: 'The request headers are too large (`headers_too_large`).',
  500: 'An unexpected error (`internal_error`); quote the request id.',
  503: 'A dependency is unavailable (`service_unavailable`); Retry-After says when to try again.',
};

const STATUS_HEADERS: Record<number, readonly string[]> = { 401: ['WWW-Authenticate'], 405: ['Allow'], 429: ['Retry-After'], 503: ['Retry-After'] };
const LIMIT_HEADERS = ['RateLimit', 'RateLimit-Policy'];
const isJson = (type: string) => /^application\/(?:[\w.+-]+\+)?json$/i.test(type.split(';')[0]!.trim());

/** The statuses the pipeline may answer one operation with, besides what its handler returns. */
function pipelineStatuses(document: OpenApiDocument, item: Record<string, any>, operation: Record<string, any>, options: EffectiveOptions): number[] {
  // A 400 validation_error or invalid_json is sent as 422 where the operation declares 422 and not 400 (format-error).
  const responses = operation.responses ?? {};
  const declared = '422' in responses && !('400' in responses) ? 422 : 400;
  const validation = withValidationStatus(validationError([]), declared).status;
  const statuses = new Set<number>((options.lastStageStatuses ?? []).map((s) => (s === STATUS.validation ? validation : s)));
  const body = resolveRef(document, operation.requestBody);
  if ((item.parameters?.length ?? 0) + (operation.parameters?.length ?? 0) > 0 || body) statuses.add(validation);
  if (body) {
    if (Object.keys(body.content ?? {}).some(isJson)) statuses.add(withValidationStatus(invalidJson(), declared).status);
    statuses.add(STATUS.tooLarge).add(STATUS.mediaType);
  }
  const security: Record<string, unknown>[] = operation.security ?? document.security ?? [];
  if (security.some((requirement) => Object.keys(requirement ?? {}).length > 0)) statuses.add(STATUS.unauthenticated);
  if (security.some((requirement) => Object.values(requirement ?? {}).some((scopes) => Array.isArray(scopes) && scopes.length > 0))) statuses.add(STATUS.forbidden);
  if (isRateLimited(document, operation, options)) statuses.add(STATUS.rateLimited);
  statuses.add(STATUS.headersTooLarge).add(STATUS.internal).add(STATUS.unavailable);
  return [...statuses].sort((a, b) => a - b);
}

const isRateLimited = (document: OpenApiDocument, operation: Record<string, any>, options: EffectiveOptions) =>
  options.rateLimits !== false && (operation[RATE_LIMIT] ?? document[RATE_LIMIT]) !== undefined;

/** The document with specgate's own answers declared on every operation (see the module comment). */
export function effectiveDocument(document: OpenApiDocument, options: EffectiveOptions = {}): OpenApiDocument {
  if (!/^3\./.test(String(document.openapi ?? ''))) throw new Error('effectiveDocument takes an OpenAPI 3.x document (convert Swagger 2.0 first).');
  const source = inlinePathItems(document);
  const components: Record<string, any> = source.components ?? {};
  const { names, present } = errorSchemaNames(source);
  const errorRef = { $ref: `#/components/schemas/${names.Error}` };
  const headers: Record<string, unknown> = { ...components.headers };
  const responses: Record<string, unknown> = { ...components.responses };

  const headerRefs = new Map<string, { $ref: string }>();
  /** A reference to the header component for `name`: the document's own of that name, else one added. */
  const headerRef = (name: string) => {
    let ref = headerRefs.get(name);
    if (ref) return ref;
    const component = name in headers ? name : freeName(headers, `Specgate${name.replace(/-/g, '')}`);
    headers[component] ??= STAGE_HEADERS[name];
    headerRefs.set(name, (ref = { $ref: `#/components/headers/${component}` }));
    return ref;
  };
  /** `response` with the named headers it lacks (compared case-insensitively); the same object when it lacks none. */
  const withHeaders = (response: Record<string, any>, wanted: readonly string[]) => {
    const own = new Set(Object.keys(response.headers ?? {}).map((h) => h.toLowerCase()));
    const missing = wanted.filter((name) => !own.has(name.toLowerCase()));
    if (missing.length === 0) return response;
    return { ...response, headers: { ...response.headers, ...Object.fromEntries(missing.map((name) => [name, headerRef(name)])) } };
  };
  const errorResponse = (status: number, extra: readonly string[]) =>
    withHeaders({ description: DESCRIPTIONS[status] ?? 'An error in the uniform Error body.', content: { 'application/json': { schema: errorRef } } }, ['X-Request-ID', ...(STATUS_HEADERS[status] ?? []), ...extra]);
  const shared = new Map<number, { $ref: string }>();
  /** The uniform Error response for `status`: one shared component, or inline when the operation adds headers of its own. */
  const addedResponse = (status: number, extra: readonly string[]) => {
    if (extra.length > 0) return errorResponse(status, extra);
    let ref = shared.get(status);
    if (!ref) {
      const name = freeName(responses, `SpecgateError${status}`);
      responses[name] = errorResponse(status, []);
      shared.set(status, (ref = { $ref: `#/components/responses/${name}` }));
    }
    return ref;
  };
  /** Their response for a status the pipeline may also answer: anyOf their JSON body and the Error (or the Error only). */
  const merged = (theirs: Record<string, any>, status: number, extra: readonly string[]) => {
    if (options.declaredErrors === 'replace') return addedResponse(status, extra);
    const content: Record<string, any> = { ...theirs.content };
    const json = content['application/json'];
    if (json === undefined) content['application/json'] = { schema: errorRef };
    else if (json.schema !== undefined && json.schema.$ref !== errorRef.$ref) content['application/json'] = { ...json, schema: { anyOf: [json.schema, errorRef] } };
    return withHeaders({ ...theirs, content }, ['X-Request-ID', ...(STATUS_HEADERS[status] ?? []), ...extra]);
  };

  const RESPONSES = '#/components/responses/';
  /** The components.responses name a response references directly, if it does. */
  const sharedName = (response: any): string | undefined => {
    const ref = response?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith(RESPONSES) || ref.slice(RESPONSES.length).includes('/')) return undefined;
    return decodeURIComponent(ref.slice(RESPONSES.length)).replace(/~1/g, '/').replace(/~0/g, '~');
  };
  // Shared responses this function stopped referencing (inlined with headers or merged) and those still referenced:
  // only the first kind, when not also the second, is removed, so no component is left unused by this function.
  const inlined = new Set<string>();
  const kept = new Set<string>();
  /** A response object, its `$ref` followed (to the components as updated here). */
  const resolveResponse = (response: any, hops = 0): Record<string, any> => {
    const name = sharedName(response);
    if (name !== undefined && hops < 20) return resolveResponse(responses[name], hops + 1);
    return resolveRef(source, response) ?? {};
  };
  for (const [name, response] of Object.entries(responses)) {
    if (response && typeof response === 'object' && !('$ref' in response)) responses[name] = withHeaders(response as Record<string, any>, ['X-Request-ID']);
  }
  const paths: Record<string, unknown> = {};
  for (const [path, rawItem] of Object.entries<Record<string, any>>(source.paths ?? {})) {
    if (!rawItem || typeof rawItem !== 'object') {
      paths[path] = rawItem;
      continue;
    }
    const item = { ...rawItem };
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation || typeof operation !== 'object') continue;
      const extra = isRateLimited(source, operation, options) ? LIMIT_HEADERS : [];
      const declared: Record<string, any> = operation.responses ?? {};
      const out: Record<string, unknown> = {};
      for (const [key, response] of Object.entries(declared)) {
        const resolved = resolveResponse(response);
        const filled = options.errorBodyWhereNone && /^[45](\d\d|XX)$/i.test(key) && resolved.content === undefined ? { ...resolved, content: { 'application/json': { schema: errorRef } } } : resolved;
        const updated = withHeaders(filled, ['X-Request-ID', ...extra]);
        // A shared response keeps its $ref when it already has every header (components.responses got X-Request-ID above).
        out[key] = updated === resolved ? response : updated;
        const shared = sharedName(response);
        if (shared !== undefined) (updated === resolved ? kept : inlined).add(shared);
      }
      for (const status of pipelineStatuses(source, rawItem, operation, options)) {
        const key = String(status);
        const theirsKey = key in declared ? key : (Object.keys(declared).find((k) => k.toUpperCase() === `${key[0]}XX`) ?? ('default' in declared ? 'default' : undefined));
        const theirs = theirsKey === undefined ? undefined : resolveResponse(declared[theirsKey]);
        const ours = theirs?.content?.['application/json']?.schema?.$ref === errorRef.$ref && theirsKey === key;
        if (ours) continue;
        out[key] = theirs ? merged(theirs, status, extra) : addedResponse(status, extra);
        const shared = theirsKey === key ? sharedName(declared[key]) : undefined;
        if (shared !== undefined) inlined.add(shared);
      }
      item[method] = { ...operation, responses: out };
    }
    paths[path] = item;
  }
  const unused = [...inlined].filter((name) => !kept.has(name));
  if (unused.length > 0) {
    // Still referenced elsewhere (a callback, a webhook, another component)? Then it stays.
    const text = JSON.stringify({ ...source, paths, components: { ...components, responses } });
    for (const name of unused) {
      const ref = JSON.stringify(`${RESPONSES}${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (!text.includes(ref)) delete responses[name];
    }
  }
  // Answers to requests outside any operation (an undeclared path or method), which no operation can declare: inline, so no component goes unused.
  const pathError = (status: number) => ({
    description: DESCRIPTIONS[status],
    headers: Object.fromEntries(['X-Request-ID', ...(STATUS_HEADERS[status] ?? [])].map((name) => [name, STAGE_HEADERS[name]])),
    content: { 'application/json': { schema: errorRef } },
  });
  return {
    ...source,
    paths,
    components: { ...components, schemas: { ...components.schemas, ...(present ? {} : errorSchemas(names)) }, responses, headers },
    'x-specgate-path-errors': { [STATUS.notFound]: pathError(STATUS.notFound), [STATUS.methodNotAllowed]: pathError(STATUS.methodNotAllowed) },
  };
}
