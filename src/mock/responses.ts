/**
 * Mock answers for any operation, picked the way openapi-backend's mockResponseForOperation picks
 * them — a 200–203, else another 2xx, else 2XX or default, else the first 3xx, 4xx, 5xx in that
 * order (a 1xx is never a final answer); the media type's example, else the first named example,
 * else a value generated from the schema (src/mock/generate.ts) — and every body is checked
 * against its schema: an example that breaks it is replaced by a generated value. A chosen 4xx or
 * 5xx without content is the uniform Error body. A `Prefer` scenario (src/mock/prefer.ts) picks
 * the status, the named example, or a body generated with the request's own seed; one that names
 * what the operation does not declare is refused (undeclaredScenario). A document's
 * Content-Length, Transfer-Encoding and Connection headers are never copied: the server computes them.
 */
import { relayedError, undeclaredScenario, type ErrorType } from '../errors.js';
import { pointerSegment } from '../contract/ajv.js';
import { followRefs, resolveRef } from '../contract/refs.js';
import type { OpenApiDocument } from '../contract/spec.js';
import type { HandlerResult } from '../pipeline/dispatch.js';
import type { Logger } from '../logger.js';
import { matchesSchemaAt } from './body-check.js';
import { generate } from './generate.js';
import type { Scenario } from './prefer.js';

const SUCCESS = ['200', '201', '202', '203'];
/** Response headers about the message's framing, which only the server may write. */
const FRAMING = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'trailer', 'upgrade']);

/** The error_type a declared error status without content is answered with. */
const ERROR_TYPES: Record<number, ErrorType> = {
  400: 'validation_error', 401: 'authentication_error', 403: 'authorization_error', 404: 'not_found', 405: 'method_not_allowed',
  409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'rate_limited', 431: 'headers_too_large', 503: 'service_unavailable',
};

/** Resolves internal $refs inside `value` (each $ref once: a repeated or cyclic one becomes `{}`), for tests and headers. */
export function deref(document: OpenApiDocument, value: unknown, seen: Set<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((v) => deref(document, v, seen));
  if (!value || typeof value !== 'object') return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    if (seen.has(ref)) return {};
    return deref(document, resolveRef(document, value), new Set([...seen, ref]));
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deref(document, v, seen)]));
}

/** The status key to answer with, and its numeric status. */
export function chooseStatus(responses: Record<string, unknown>): [string, number] | undefined {
  const keys = Object.keys(responses);
  const numeric = (prefix: string) => keys.find((k) => /^\d{3}$/.test(k) && k.startsWith(prefix));
  const key = SUCCESS.find((s) => s in responses) ?? numeric('2') ?? keys.find((k) => /^2xx$/i.test(k) || k === 'default') ?? numeric('3') ?? numeric('4') ?? keys.find((k) => /^4xx$/i.test(k)) ?? numeric('5') ?? keys.find((k) => /^5xx$/i.test(k));
  if (key === undefined) return undefined;
  if (/^\d{3}$/.test(key)) return [key, Number(key)];
  return [key, /^[345]xx$/i.test(key) ? Number(key[0]) * 100 : 200];
}

/** How many `oneOf`/`anyOf` branch choices a generated body is tried with before the best effort is sent. */
const BRANCH_TRIES = 5;

function headerValue(document: OpenApiDocument, raw: unknown, name: string, seed: number): string {
  const header = followRefs(document, raw, '').value ?? {};
  const value = header.example ?? generate(document, header.schema ?? { type: 'string' }, { seed, name });
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The declared response key for a `Prefer: code=` status: exact, else its range (`4XX`), else `default`; refused when none. */
function scenarioStatus(responses: Record<string, unknown>, code: string): [string, number] {
  const range = Object.keys(responses).find((k) => /^[1-5]xx$/i.test(k) && k[0] === code[0]);
  const key = /^[1-5]\d\d$/.test(code) ? (code in responses ? code : (range ?? ('default' in responses ? 'default' : undefined))) : undefined;
  if (key === undefined) throw undeclaredScenario(`code=${code}`, Object.keys(responses));
  return [key, Number(code)];
}

/** How one answer is made: the request's `Prefer` scenario and the seed of generated values. */
export interface MockRequest {
  readonly scenario?: Scenario;
  /** The seed of generated bodies and headers (1: the stable default answer). */
  readonly seed?: number;
  readonly log?: Logger;
}

/** The mock answer of the operation at `path` and `method` of `document`. */
export function mockResponse(document: OpenApiDocument, path: string, method: string, { scenario, seed = 1, log }: MockRequest = {}): HandlerResult {
  const operation = document.paths[path][method];
  const responses = operation.responses ?? {};
  const chosen = scenario?.code !== undefined ? scenarioStatus(responses, scenario.code) : chooseStatus(responses);
  if (!chosen) return { status: 200, body: undefined };
  const [key, status] = chosen;
  const where = `/paths/${pointerSegment(path)}/${method}/responses/${pointerSegment(key)}`;
  const { value: response, pointer } = followRefs(document, operation.responses[key], where);
  const headers = Object.fromEntries(
    Object.entries<unknown>(response?.headers ?? {})
      .filter(([name]) => !FRAMING.has(name.toLowerCase()))
      .map(([name, h]) => [name, headerValue(document, h, name, seed)]),
  );
  const media = Object.entries<Record<string, any>>(response?.content ?? {});
  const [type, content] = media.find(([t]) => t === 'application/json') ?? media.find(([t]) => /[/+]json$/.test(t)) ?? media[0] ?? [];
  if (status === 204 || status === 304) return { status, body: undefined, headers };
  const examples = Object.entries<Record<string, any>>(content?.examples ?? {}).map(([name, e]) => [name, followRefs(document, e, '').value] as const);
  if (scenario?.example !== undefined && !examples.some(([name, e]) => name === scenario.example && e?.value !== undefined)) {
    throw undeclaredScenario(`example=${scenario.example}`, examples.filter(([, e]) => e?.value !== undefined).map(([name]) => name));
  }
  if (!content) {
    if (status >= 400) throw relayedError(status, ERROR_TYPES[status] ?? (status >= 500 ? 'internal_error' : 'validation_error'), `The mock answers ${status}, as the document declares.`, headers as Record<string, string>);
    return { status, body: undefined, headers };
  }
  const named = scenario?.example !== undefined ? examples.find(([name]) => name === scenario.example)?.[1] : examples.find(([, e]) => e?.value !== undefined)?.[1];
  // An example asked for by name comes first; `dynamic=true` skips the examples unless one was named.
  const example = scenario?.example !== undefined ? named?.value : scenario?.dynamic ? undefined : (content.example ?? named?.value);
  if (!content.schema) return { status, body: example ?? {}, headers };
  const schemaPointer = `${pointer}/content/${pointerSegment(type!)}/schema`;
  if (example !== undefined && matchesSchemaAt(document, schemaPointer, example)) return { status, body: example, headers };
  if (example !== undefined) log?.debug({ schema: decodeURIComponent(schemaPointer) }, 'mock example does not match its schema: a generated body is sent instead');
  let body = generate(document, content.schema, { seed, examples: scenario?.dynamic !== true });
  // A `oneOf` whose first branch overlaps another (so its value matches both) gets a value from a later branch.
  for (let shift = 1; shift < BRANCH_TRIES && !matchesSchemaAt(document, schemaPointer, body); shift++) {
    body = generate(document, content.schema, { seed, examples: scenario?.dynamic !== true, branchShift: shift });
  }
  if (!matchesSchemaAt(document, schemaPointer, body)) log?.debug({ schema: decodeURIComponent(schemaPointer) }, 'mock body does not match its schema (the best the generator could do)');
  return { status, body, headers };
}
