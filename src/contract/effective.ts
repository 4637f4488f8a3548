/**
 * The contract as a client meets it: a document plus the answers specgate's pipeline adds on its
 * own — the uniform Error body on every status a stage may refuse an operation's request with,
 * `X-Request-ID` on every response, and `RateLimit`/`RateLimit-Policy`/`Retry-After` where they
 * are sent, and path parameters narrowed to the values the route stage lets through
 * (src/contract/effective-path-parameters.ts). Only what can be sent is declared: 503 comes from
 * a dependency that can be down, so it is declared where one is (a rate limit failing closed, or
 * what `lastStageOf` says, the gateway's upstream), never on every operation. Pure: returns a new
 * document, never changes the one it is given. The mock publishes it at GET /openapi.json
 * (src/mock/handlers.ts); a gateway that translates its backend's errors publishes it with
 * `translatesErrors` on its forwarded operations (src/gateway/published.ts). The response objects
 * are written by src/contract/effective-responses.ts. See docs/contract.md.
 */
import {
  authenticationError, headersTooLarge, internalError, invalidJson, methodNotAllowed, notFound,
  payloadTooLarge, rateLimited, serviceUnavailable, unsupportedMediaType, validationError, withValidationStatus, gone,
} from '../errors.js';
import { EXTENSION as RATE_LIMIT } from '../limits/policy.js';
import { errorSchemaNames, errorSchemas } from './error-components.js';
import { pathParametersAsAccepted } from './effective-path-parameters.js';
import { responseWriter, type ResponseWriter } from './effective-responses.js';
import { resolveRef } from './refs.js';
import { HTTP_METHODS, inlinePathItems, type OpenApiDocument } from './spec.js';

/** Which answers the last stage and the configuration add to the pipeline's own. */
export interface EffectiveOptions {
  /** Whether `x-specgate-rate-limit` is enforced (429 and the RateLimit headers on limited operations); true by default. */
  readonly rateLimits?: boolean;
  /**
   * RATE_LIMIT_FAILURE=closed over a store that can be down (Redis): a limited operation answers
   * 503 while it is, so 503 is declared there; false by default (limits fail open, or live in memory).
   */
  readonly rateLimitsFailClosed?: boolean;
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
  /**
   * The last stage turns every error answer into the Error (the gateway with UPSTREAM_ERRORS=normalize),
   * so each declared 4xx and 5xx status is declared with the Error only, whatever body the document gave it.
   */
  readonly translatedErrors?: boolean;
  /** A repeated Idempotency-Key is answered from the stored answer with `Idempotent-Replayed: true`, declared on the 2xx of operations that take the key. */
  readonly idempotentReplays?: boolean;
  /**
   * What the last stage adds to one operation, by operationId, besides `lastStageStatuses`: statuses
   * it may answer with the Error (the gateway's 502/503/504 on forwarded operations only), headers it
   * may add to the operation's declared answers (X-Specgate-Contract-Violation under report), and
   * whether it translates the operation's error answers (`translatesErrors`: then `translatedErrors`
   * and `declaredErrors: 'replace'` hold for this operation only; otherwise the options' own do).
   */
  readonly lastStageOf?: (operationId: string | undefined) => LastStageAnswers;
  /** SUNSET_ENFORCE: an operation past its `x-sunset` answers 410 `gone`, declared on operations with a sunset. */
  readonly sunsetEnforce?: boolean;
}

/** What the last stage adds to one operation (EffectiveOptions.lastStageOf). */
export interface LastStageAnswers {
  readonly statuses?: readonly number[];
  readonly headers?: readonly string[];
  /** The last stage turns this operation's error answers into the Error (a forwarded operation under UPSTREAM_ERRORS=normalize). */
  readonly translatesErrors?: boolean;
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
  gone: gone('', '').status,
};

/** The `default` response of an operation that declares no final status. */
const ANY_ANSWER = 'Any answer: the document declares no final (non-1XX) response for this operation.';
const LIMIT_HEADERS = ['RateLimit', 'RateLimit-Policy'];
const isJson = (type: string) => /^application\/(?:[\w.+-]+\+)?json$/i.test(type.split(';')[0]!.trim());

/** The statuses the pipeline may answer one operation with, besides what its handler returns. */
function pipelineStatuses(document: OpenApiDocument, item: Record<string, any>, operation: Record<string, any>, options: EffectiveOptions): number[] {
  // A 400 validation_error or invalid_json is sent as 422 where the operation declares 422 and not 400 (format-error).
  const responses = operation.responses ?? {};
  const declared = '422' in responses && !('400' in responses) ? 422 : 400;
  const validation = withValidationStatus(validationError([]), declared).status;
  const own = [...(options.lastStageStatuses ?? []), ...(options.lastStageOf?.(operation.operationId).statuses ?? [])];
  const statuses = new Set<number>(own.map((s) => (s === STATUS.validation ? validation : s)));
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
  // The rate-limit store is the one dependency the pipeline's own stages have; the last stage's are in `own`.
  if (isRateLimited(document, operation, options) && options.rateLimitsFailClosed === true) statuses.add(STATUS.unavailable);
  if (options.sunsetEnforce === true && operation.deprecated === true && operation['x-sunset'] !== undefined) statuses.add(STATUS.gone);
  statuses.add(STATUS.headersTooLarge).add(STATUS.internal);
  return [...statuses].sort((a, b) => a - b);
}

const takesIdempotencyKey = (document: OpenApiDocument, item: Record<string, any>, operation: Record<string, any>) =>
  [...(item.parameters ?? []), ...(operation.parameters ?? [])].some((p) => {
    const parameter = resolveRef(document, p);
    return parameter?.in === 'header' && String(parameter.name).toLowerCase() === 'idempotency-key';
  });

/**
 * The headers the deprecation stage (src/pipeline/deprecation.ts) may add to every answer of the
 * operation: Deprecation, with Sunset and Link where the operation or a deprecated parameter has them.
 */
function deprecationHeaders(document: OpenApiDocument, item: Record<string, any>, operation: Record<string, any>): string[] {
  const marked = [operation, ...[...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => resolveRef(document, p))].filter((o) => o?.deprecated === true);
  if (marked.length === 0) return [];
  const headers = new Set(['Deprecation']);
  for (const o of marked) {
    if (o['x-sunset'] !== undefined) headers.add('Sunset');
    const link = o['x-deprecation-link'] ?? (o === operation ? o.externalDocs?.url : undefined);
    if (typeof link === 'string' && link !== '') headers.add('Link');
  }
  return [...headers];
}

/**
 * The headers the deprecation and rate-limit stages add to an answer of the operation, by status:
 * none on a 431 (the head limit answers before routing); RateLimit on a 401/403 only under a `by: ip`
 * policy (a `by: caller` budget is checked after authenticate).
 */
function stageHeaders(document: OpenApiDocument, item: Record<string, any>, operation: Record<string, any>, options: EffectiveOptions): (status: string) => string[] {
  const deprecated = deprecationHeaders(document, item, operation);
  const limited = isRateLimited(document, operation, options);
  const byCaller = (operation[RATE_LIMIT] ?? document[RATE_LIMIT])?.by === 'caller';
  const refusedBeforeLimit = new Set([String(STATUS.unauthenticated), String(STATUS.forbidden)]);
  return (status) => {
    if (status === String(STATUS.headersTooLarge)) return [];
    return [...(limited && !(byCaller && refusedBeforeLimit.has(status)) ? LIMIT_HEADERS : []), ...deprecated];
  };
}

const isRateLimited = (document: OpenApiDocument, operation: Record<string, any>, options: EffectiveOptions) =>
  options.rateLimits !== false && (operation[RATE_LIMIT] ?? document[RATE_LIMIT]) !== undefined;

/** The document with specgate's own answers declared on every operation (see the module comment). */
export function effectiveDocument(document: OpenApiDocument, options: EffectiveOptions = {}): OpenApiDocument {
  if (!/^3\./.test(String(document.openapi ?? ''))) throw new Error('effectiveDocument takes an OpenAPI 3.x document (convert Swagger 2.0 first).');
  const source = inlinePathItems(document);
  const { names, present } = errorSchemaNames(source);
  const writer = responseWriter(source, { $ref: `#/components/schemas/${names.Error}` });
  const paths: Record<string, unknown> = {};
  for (const [path, item] of Object.entries<Record<string, any>>(source.paths ?? {})) {
    paths[path] = item && typeof item === 'object'
      ? { ...item, ...(item.parameters ? { parameters: pathParametersAsAccepted(item.parameters) } : {}), ...operationsOf(source, item, writer, options) }
      : item;
  }
  const components = source.components ?? {};
  writer.prune({ ...source, paths, components: { ...components, responses: undefined } });
  return {
    ...source,
    paths,
    components: { ...components, ...(components.parameters ? { parameters: pathParametersAsAccepted(components.parameters) } : {}), schemas: { ...components.schemas, ...(present ? {} : errorSchemas(names)) }, responses: writer.responses, headers: writer.headers },
    // Answers to requests outside any operation (an undeclared path or method), which no operation can declare.
    'x-specgate-path-errors': { [STATUS.notFound]: writer.pathError(STATUS.notFound), [STATUS.methodNotAllowed]: writer.pathError(STATUS.methodNotAllowed) },
  };
}

/** The operations of one path item, each with the responses the pipeline adds. */
function operationsOf(document: OpenApiDocument, item: Record<string, any>, writer: ResponseWriter, options: EffectiveOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const method of HTTP_METHODS) {
    const operation = item[method];
    if (!operation || typeof operation !== 'object') continue;
    const extras = stageHeaders(document, item, operation, options);
    const success = options.idempotentReplays === true && takesIdempotencyKey(document, item, operation) ? ['Idempotent-Replayed'] : [];
    const last = options.lastStageOf?.(operation.operationId) ?? {};
    const answered = last.headers ?? [];
    const translated = last.translatesErrors ?? options.translatedErrors === true;
    const replace = last.translatesErrors ?? options.declaredErrors === 'replace';
    const declared: Record<string, unknown> = operation.responses ?? {};
    const statuses = pipelineStatuses(document, item, operation, options).map(String);
    // Declared statuses the pipeline may also answer get the merged response below; the others only the headers.
    const mergedKeys = new Set(statuses.filter((key) => key in declared && !writer.isError(declared[key])));
    const responses: Record<string, unknown> = {};
    for (const [key, response] of Object.entries(declared)) {
      if (mergedKeys.has(key)) continue;
      const extra = extras(key);
      if (translated && /^[45]\d\d$/.test(key)) responses[key] = writer.merged(response, Number(key), extra, true);
      else responses[key] = writer.withHeaders(response, ['X-Request-ID', ...extra, ...answered, ...(/^2/.test(key) ? success : [])], options.errorBodyWhereNone === true && /^[45](\d\d|XX)$/i.test(key));
    }
    for (const key of statuses) {
      if (key in responses) continue;
      const theirsKey = key in declared ? key : (Object.keys(declared).find((k) => k.toUpperCase() === `${key[0]}XX`) ?? ('default' in declared ? 'default' : undefined));
      const extra = extras(key);
      responses[key] = theirsKey === undefined ? writer.errorResponse(Number(key), extra) : writer.merged(declared[theirsKey], Number(key), extra, replace);
    }
    // An operation declaring no final status (no `responses`, as OpenAPI 3.1 allows, or only 1XX) may be answered anything
    // (the mock sends 200): `default` keeps saying so beside the added errors.
    if (!Object.keys(declared).some((key) => !/^1/.test(key))) responses.default = { description: ANY_ANSWER };
    out[method] = { ...operation, ...(operation.parameters ? { parameters: pathParametersAsAccepted(operation.parameters) } : {}), responses };
  }
  return out;
}
