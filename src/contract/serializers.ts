/**
 * Response serializers compiled from the contract (fast-json-stringify), once at start-up: for a
 * JSON response whose schema fixes every property (each object `additionalProperties: false`),
 * writing by the schema is faster than JSON.stringify and cannot drop data a valid body holds.
 * Open schemas and combinators keep JSON.stringify. Operations whose responses declare the same
 * schema share one compiled serializer.
 * Outside production the body is validated against the same schema before it is written
 * (src/contract/response-check.ts), so a serializer never meets a body the contract refuses unseen.
 */
import fastJson from 'fast-json-stringify';
import { schemaDocument } from './openapi30.js';
import { resolveRef } from './refs.js';
import type { Contract, OpenApiDocument, OperationInfo } from './spec.js';

/** Writes a response body as JSON text. */
export type Serialize = (body: unknown) => string;

/** The serializer for each operation's declared statuses. */
export interface SerializerSet {
  /** The serializer for a status the operation declares (exact, `2XX`, `default`), JSON.stringify otherwise. */
  get(operationId: string, status: number): Serialize;
}

/** Documents with more operations than this compile an operation's serializers on its first answer only, not in the background. */
const BACKGROUND_LIMIT = 300;
const SPEC_ID = 'specgate-serializers';
const isJson = (type: string) => /^application\/(?:[\w.+-]+\+)?json$/i.test(type.split(';')[0]!.trim());

/** Whether writing by this schema keeps every value a valid body can hold. */
function isClosed(doc: OpenApiDocument, schema: any, seen = new Set<unknown>()): boolean {
  const resolved = resolveRef(doc, schema);
  if (resolved === undefined || resolved === null || typeof resolved !== 'object') return false;
  if (seen.has(resolved)) return true;
  seen.add(resolved);
  if (['anyOf', 'oneOf', 'allOf', 'not', 'if', 'patternProperties', '$dynamicRef'].some((k) => k in resolved)) return false;
  const types: string[] = Array.isArray(resolved.type) ? resolved.type : typeof resolved.type === 'string' ? [resolved.type] : [];
  if (types.length === 0) return false;
  if (types.includes('object')) {
    if (resolved.additionalProperties !== false || typeof resolved.properties !== 'object') return false;
    if (!Object.values(resolved.properties).every((p) => isClosed(doc, p, seen))) return false;
  }
  if (types.includes('array') && !isClosed(doc, resolved.items, seen)) return false;
  return true;
}

/** The schema of a response's JSON content, when there is one. */
function jsonSchemaOf(doc: OpenApiDocument, response: unknown): unknown {
  const content = resolveRef(doc, response)?.content ?? {};
  const type = Object.keys(content).find(isJson);
  return type === undefined ? undefined : content[type]?.schema;
}

/**
 * The serializers of every operation, each compiled on its operation's first answer or, sooner
 * (documents up to BACKGROUND_LIMIT operations), in the background one operation per turn of the
 * event loop from start-up on: the server listens and answers its first request without waiting
 * for the compiler, and no request waits for it for long.
 */
export function compileSerializers(contract: Contract): SerializerSet {
  const byOperation = new Map<string, ReadonlyMap<string, Serialize>>();
  const byId = new Map(contract.operations.map((op) => [op.operationId, op]));
  const background = contract.operations.length <= BACKGROUND_LIMIT;
  // By the schema's text: one compile for every operation that answers with the same component.
  const byText = new Map<string, Serialize | undefined>();
  let prepared: { doc: OpenApiDocument; external: Record<string, unknown> } | undefined;
  const compileOne = (op: OperationInfo): ReadonlyMap<string, Serialize> => {
    prepared ??= (() => {
      const doc = schemaDocument(contract.document);
      return { doc, external: { [SPEC_ID]: { $id: SPEC_ID, components: doc.components ?? {} } } };
    })();
    const { doc, external } = prepared;
    const statuses = new Map<string, Serialize>();
    for (const [status, response] of Object.entries<unknown>(doc.paths[op.path][op.method].responses ?? {})) {
      const schema = jsonSchemaOf(doc, response);
      if (schema === undefined || !isClosed(doc, schema)) continue;
      // References inside point at the document's components, served to the compiler by $id.
      const text = JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${SPEC_ID}#/`);
      if (!byText.has(text)) {
        try {
          byText.set(text, fastJson(JSON.parse(text), { schema: external as never }) as Serialize);
        } catch {
          // A schema the compiler refuses keeps JSON.stringify, which writes any value correctly.
          byText.set(text, undefined);
        }
      }
      const serialize = byText.get(text);
      if (serialize !== undefined) statuses.set(status.toUpperCase(), serialize);
    }
    return statuses;
  };
  const serializersOf = (operationId: string): ReadonlyMap<string, Serialize> | undefined => {
    let statuses = byOperation.get(operationId);
    const op = byId.get(operationId);
    if (statuses === undefined && op !== undefined) byOperation.set(operationId, (statuses = compileOne(op)));
    return statuses;
  };
  if (background) {
    const pending = contract.operations.map((op) => op.operationId);
    const next = () => {
      const id = pending.shift();
      if (id === undefined) return;
      serializersOf(id);
      setImmediate(next).unref();
    };
    setImmediate(next).unref();
  }
  return {
    get(operationId, status) {
      const statuses = serializersOf(operationId);
      if (!statuses || statuses.size === 0) return JSON.stringify;
      const key = String(status);
      return statuses.get(key) ?? statuses.get(`${key[0]}XX`) ?? statuses.get('DEFAULT') ?? JSON.stringify;
    },
  };
}
