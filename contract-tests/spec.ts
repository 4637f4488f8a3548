/**
 * Reads an OpenAPI 3.x document (file or URL) and turns it into the facts the contract tests
 * need per operation: parameters, request body, declared responses, security and links, with
 * every internal `$ref` resolved.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

/** A JSON Schema as the document writes it (after $ref resolution). */
export type Schema = Record<string, any>;

/** One declared parameter. */
export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly schema: Schema;
  readonly examples: readonly unknown[];
}

/** One declared response: its content types (with schemas) and headers. */
export interface DeclaredResponse {
  readonly content: Readonly<Record<string, Schema | undefined>>;
  readonly headers: Readonly<Record<string, { required: boolean; schema: Schema | undefined }>>;
  readonly links: Readonly<Record<string, { operationId: string; parameters: Record<string, string> }>>;
}

/** One operation of the document. */
export interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly requestBody: { readonly required: boolean; readonly contentType: string; readonly schema: Schema; readonly examples: readonly unknown[] } | undefined;
  readonly responses: Readonly<Record<string, DeclaredResponse>>;
  /** Whether the operation needs credentials (a non-empty security requirement list without `{}`). */
  readonly secured: boolean;
}

/** The document and its operations. */
export interface ContractSpec {
  readonly document: Record<string, any>;
  readonly operations: readonly Operation[];
  /** Declared methods (upper case) per path template. */
  readonly methodsByPath: ReadonlyMap<string, readonly string[]>;
  /** The Error schema, when components.schemas.Error exists. */
  readonly errorSchema: Schema | undefined;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Replaces every internal $ref by its target (cycles are left as $ref). */
export function dereference(document: Record<string, any>): Record<string, any> {
  const lookup = (ref: string) =>
    ref.slice(2).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~')).reduce<any>((o, k) => o?.[k], document);
  const walk = (value: unknown, seen: readonly string[]): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, seen));
    if (!value || typeof value !== 'object') return value;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/')) {
      if (seen.includes(ref)) return value;
      return walk(lookup(ref), [...seen, ref]);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, seen)]));
  };
  return walk(document, []) as Record<string, any>;
}

const examplesOf = (item: Record<string, any>): unknown[] => [
  ...(item.example !== undefined ? [item.example] : []),
  ...Object.values<any>(item.examples ?? {}).map((e) => e?.value).filter((v) => v !== undefined),
];

function responseOf(raw: Record<string, any>): DeclaredResponse {
  const content = Object.fromEntries(Object.entries<any>(raw.content ?? {}).map(([type, media]) => [type, media?.schema]));
  const headers = Object.fromEntries(
    Object.entries<any>(raw.headers ?? {}).map(([name, h]) => [name, { required: h?.required === true, schema: h?.schema }]),
  );
  const links = Object.fromEntries(
    Object.entries<any>(raw.links ?? {})
      .filter(([, l]) => typeof l?.operationId === 'string')
      .map(([name, l]) => [name, { operationId: l.operationId, parameters: l.parameters ?? {} }]),
  );
  return { content, headers, links };
}

/** Builds the operation list from a parsed document. */
export function contractSpecFrom(raw: Record<string, any>): ContractSpec {
  const document = dereference(raw);
  const operations: Operation[] = [];
  const methodsByPath = new Map<string, string[]>();
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), method.toUpperCase()]);
      const byKey = new Map<string, Record<string, any>>();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) byKey.set(`${p.in}:${p.name}`, p);
      const parameters: Parameter[] = [...byKey.values()].map((p) => ({
        name: p.name,
        in: p.in,
        required: p.in === 'path' || p.required === true,
        schema: p.schema ?? {},
        examples: [...examplesOf(p), ...(p.schema?.example !== undefined ? [p.schema.example] : [])],
      }));
      const [contentType, media] = Object.entries<any>(op.requestBody?.content ?? {}).find(([t]) => /json/.test(t)) ?? [];
      const security: unknown[] = op.security ?? document.security ?? [];
      operations.push({
        operationId: op.operationId ?? `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters,
        requestBody: contentType
          ? { required: op.requestBody.required === true, contentType, schema: media?.schema ?? {}, examples: examplesOf(media ?? {}) }
          : undefined,
        responses: Object.fromEntries(Object.entries<any>(op.responses ?? {}).map(([status, r]) => [status, responseOf(r)])),
        secured: security.length > 0 && !security.some((s) => s && typeof s === 'object' && Object.keys(s).length === 0),
      });
    }
  }
  return { document, operations, methodsByPath, errorSchema: document.components?.schemas?.Error };
}

/** Loads a document from a path or an http(s) URL (JSON or YAML). */
export async function loadContractSpec(location: string): Promise<ContractSpec> {
  const text = /^https?:\/\//.test(location) ? await (await fetch(location)).text() : await readFile(location, 'utf8');
  return contractSpecFrom(parse(text) as Record<string, any>);
}
