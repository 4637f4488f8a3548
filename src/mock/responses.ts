/**
 * Mock answers for any operation, the way openapi-backend's mockResponseForOperation picks them
 * (a 200–203, else 2XX, else default, else the first declared status; the example, else the first
 * named example, else — and also when the example breaks the schema — a value mocked from the
 * schema by mock-json-schema, the library openapi-backend uses). Only the chosen response is dereferenced, on first use, so a 1,000-operation document
 * starts in the time it takes to parse.
 */
import { mock } from 'mock-json-schema';
import type { HandlerResult } from '../pipeline/dispatch.js';
import { resolveRef, type OpenApiDocument } from '../contract/spec.js';
import { matchesSchema } from './example-check.js';

const SUCCESS = ['200', '201', '202', '203'];

/** Resolves internal $refs inside `value`; a $ref already being resolved (a cycle) becomes `{}`. */
export function deref(document: OpenApiDocument, value: unknown, active: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((v) => deref(document, v, active));
  if (!value || typeof value !== 'object') return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    if (active.has(ref)) return {};
    return deref(document, resolveRef(document, value), new Set([...active, ref]));
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deref(document, v, active)]));
}

/** JSON Schema 2020-12 spellings mock-json-schema does not read: type lists, const, examples[]. */
function forMocking(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forMocking);
  if (!schema || typeof schema !== 'object') return schema;
  const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'example' || k === 'enum' || k === 'const' ? v : forMocking(v)])) as Record<string, any>;
  if (Array.isArray(out.type)) out.type = out.type.find((t: string) => t !== 'null') ?? 'null';
  if (out.const !== undefined && out.example === undefined) out.example = out.const;
  if (Array.isArray(out.examples) && out.examples.length > 0 && out.example === undefined) out.example = out.examples[0];
  return out;
}

function chooseStatus(responses: Record<string, unknown>): [string, number] | undefined {
  const key = SUCCESS.find((s) => s in responses) ?? (['2XX', '2xx', 'default'].find((s) => s in responses)) ?? Object.keys(responses)[0];
  if (key === undefined) return undefined;
  return [key, /^\d{3}$/.test(key) ? Number(key) : 200];
}

function headerValue(header: Record<string, any>): string {
  const schema = header.schema ?? {};
  const value = header.example ?? schema.example ?? mock(forMocking(schema) as never);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The mock answer of one operation object of `document`. */
export function mockResponse(document: OpenApiDocument, operation: Record<string, any>): HandlerResult {
  const chosen = chooseStatus(operation.responses ?? {});
  if (!chosen) return { status: 200, body: undefined };
  const [key, status] = chosen;
  const response = deref(document, operation.responses[key]) as Record<string, any>;
  const headers = Object.fromEntries(
    Object.entries<Record<string, any>>(response.headers ?? {})
      .filter(([name, h]) => h.required === true && name.toLowerCase() !== 'content-type')
      .map(([name, h]) => [name, headerValue(h)]),
  );
  const media = Object.entries<Record<string, any>>(response.content ?? {});
  const [, content] = media.find(([type]) => type === 'application/json') ?? media[0] ?? [];
  if (status === 204 || status === 304 || !content) return { status, body: undefined, headers };
  const named = Object.values<Record<string, any>>(content.examples ?? {}).find((e) => e?.value !== undefined);
  const example = content.example ?? named?.value;
  if (!content.schema) return { status, body: example ?? {}, headers };
  const body = example !== undefined && matchesSchema(content.schema, example) ? example : mock(forMocking(content.schema) as never);
  return { status, body, headers };
}
