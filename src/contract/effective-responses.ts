/**
 * The response objects src/contract/effective.ts writes: the uniform Error responses (one shared
 * component per status, or inline where an operation adds headers of its own), the document's
 * own responses with the headers they lack, and the bookkeeping that removes a shared response
 * only this rewrite stopped referencing, so the result has no unused component.
 */
import { freeName, STAGE_HEADERS } from './error-components.js';
import { resolveRef } from './refs.js';
import type { OpenApiDocument } from './spec.js';

type Response = Record<string, any>;

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request breaks the contract (`validation_error`, `invalid_json`), or names a scenario the operation does not declare.',
  401: 'No valid credentials (`authentication_error`).',
  403: 'The credentials lack a required scope (`authorization_error`).',
  404: 'No operation at this path (`not_found`).',
  405: 'The path does not declare this method (`method_not_allowed`); Allow lists those it does.',
  410: 'The operation was retired at its sunset (`gone`).',
  413: 'The request body is too large (`payload_too_large`).',
  415: 'The request body has a media type the operation does not declare (`unsupported_media_type`).',
  422: 'The request breaks the contract (`validation_error`, `invalid_json`).',
  429: 'Too many requests (`rate_limited`); Retry-After says when to try again.',
  431: 'The request headers are too large (`headers_too_large`).',
  500: 'An unexpected error (`internal_error`); quote the request id.',
  502: 'The upstream failed, or answered against the contract under enforce (`bad_gateway`).',
  503: 'A dependency is unavailable (`service_unavailable`); Retry-After says when to try again.',
  504: 'The upstream did not answer in time (`gateway_timeout`).',
};

/** The headers the catalogue's errors of a status carry. */
const STATUS_HEADERS: Record<number, readonly string[]> = { 401: ['WWW-Authenticate'], 405: ['Allow'], 429: ['Retry-After'], 503: ['Retry-After'] };
const RESPONSES = '#/components/responses/';

/** Writes responses into copies of a document's components.responses and components.headers. */
export interface ResponseWriter {
  readonly responses: Record<string, unknown>;
  readonly headers: Record<string, unknown>;
  /** A declared response (by reference or inline) with the named headers added; the same value when it has them all. */
  withHeaders(response: unknown, wanted: readonly string[], fill?: boolean): unknown;
  /** The uniform Error response for `status`, with `extra` headers. */
  errorResponse(status: number, extra: readonly string[]): unknown;
  /** The document's response for a status the pipeline may also answer: anyOf its JSON body and the Error, or the Error only (`replace`). */
  merged(response: unknown, status: number, extra: readonly string[], replace: boolean): unknown;
  /** Whether a declared response's JSON body is the Error already. */
  isError(response: unknown): boolean;
  /** The answer to a request outside any operation, inline (no component of its own). */
  pathError(status: number): unknown;
  /** Removes the shared responses the rewrite stopped referencing and that `rest` does not reference either. */
  prune(rest: unknown): void;
}

/** A writer for `document`, whose Error schema is at `errorRef`. */
export function responseWriter(document: OpenApiDocument, errorRef: { $ref: string }): ResponseWriter {
  const components = document.components ?? {};
  const headers: Record<string, unknown> = { ...components.headers };
  const responses: Record<string, unknown> = { ...components.responses };
  const headerRefs = new Map<string, { $ref: string }>();
  const shared = new Map<number, { $ref: string }>();
  const inlined = new Set<string>();
  const kept = new Set<string>();

  const headerRef = (name: string) => {
    let ref = headerRefs.get(name);
    if (ref) return ref;
    const component = name in headers ? name : freeName(headers, `Specgate${name.replace(/-/g, '')}`);
    headers[component] ??= STAGE_HEADERS[name];
    headerRefs.set(name, (ref = { $ref: `#/components/headers/${component}` }));
    return ref;
  };
  const addHeaders = (response: Response, wanted: readonly string[]): Response => {
    const own = new Set(Object.keys(response.headers ?? {}).map((h) => h.toLowerCase()));
    const missing = wanted.filter((name) => !own.has(name.toLowerCase()));
    if (missing.length === 0) return response;
    return { ...response, headers: { ...response.headers, ...Object.fromEntries(missing.map((name) => [name, headerRef(name)])) } };
  };
  const sharedName = (response: any): string | undefined => {
    const ref = response?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith(RESPONSES) || ref.slice(RESPONSES.length).includes('/')) return undefined;
    return decodeURIComponent(ref.slice(RESPONSES.length)).replace(/~1/g, '/').replace(/~0/g, '~');
  };
  /** A response, its `$ref` followed to the components as rewritten here. */
  const resolve = (response: unknown, hops = 0): Response => {
    const name = sharedName(response);
    if (name !== undefined && hops < 20) return resolve(responses[name], hops + 1);
    return resolveRef(document, response) ?? {};
  };
  const errorBody = (status: number, extra: readonly string[]) =>
    addHeaders({ description: DESCRIPTIONS[status] ?? 'An error in the uniform Error body.', content: { 'application/json': { schema: errorRef } } }, ['X-Request-ID', ...(STATUS_HEADERS[status] ?? []), ...extra]);
  const errorResponse = (status: number, extra: readonly string[]) => {
    if (extra.length > 0) return errorBody(status, extra);
    let ref = shared.get(status);
    if (!ref) {
      const name = freeName(responses, `SpecgateError${status}`);
      responses[name] = errorBody(status, []);
      shared.set(status, (ref = { $ref: `#/components/responses/${name}` }));
    }
    return ref;
  };

  // Every shared response gets X-Request-ID once, so a reference to it can stay a reference.
  for (const [name, response] of Object.entries(responses)) {
    if (response && typeof response === 'object' && !('$ref' in response)) responses[name] = addHeaders(response as Response, ['X-Request-ID']);
  }
  return {
    responses,
    headers,
    withHeaders(response, wanted, fill = false) {
      const resolved = resolve(response);
      const filled = fill && resolved.content === undefined ? { ...resolved, content: { 'application/json': { schema: errorRef } } } : resolved;
      const updated = addHeaders(filled, wanted);
      const name = sharedName(response);
      if (name !== undefined) (updated === resolved ? kept : inlined).add(name);
      return updated === resolved ? response : updated;
    },
    errorResponse,
    merged(response, status, extra, replace) {
      const name = sharedName(response);
      if (name !== undefined) inlined.add(name);
      if (replace) return errorResponse(status, extra);
      const theirs = resolve(response);
      const content: Record<string, any> = { ...theirs.content };
      const json = content['application/json'];
      if (json === undefined) content['application/json'] = { schema: errorRef };
      else if (json.schema !== undefined && json.schema.$ref !== errorRef.$ref) content['application/json'] = { ...json, schema: { anyOf: [json.schema, errorRef] } };
      return addHeaders({ ...theirs, content }, ['X-Request-ID', ...(STATUS_HEADERS[status] ?? []), ...extra]);
    },
    isError: (response) => resolve(response).content?.['application/json']?.schema?.$ref === errorRef.$ref,
    pathError: (status) => ({
      description: DESCRIPTIONS[status],
      headers: Object.fromEntries(['X-Request-ID', ...(STATUS_HEADERS[status] ?? [])].map((name) => [name, STAGE_HEADERS[name]])),
      content: { 'application/json': { schema: errorRef } },
    }),
    prune(rest) {
      const unused = [...inlined].filter((name) => !kept.has(name));
      if (unused.length === 0) return;
      // Still referenced elsewhere (a callback, a webhook, another component)? Then it stays.
      const text = JSON.stringify([rest, responses]);
      for (const name of unused) {
        const ref = JSON.stringify(`${RESPONSES}${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        if (!text.includes(ref)) delete responses[name];
      }
    },
  };
}
