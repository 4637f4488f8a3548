/**
 * Reads an OpenAPI 3.x document (file or URL) and turns it into the facts the contract tests
 * need per operation: parameters, request body, declared responses, security and links. `$ref`s
 * are followed where they are met (path items, parameters, bodies, responses, headers), never
 * expanded through the whole document; schemas keep theirs and are read through the registry.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { IGNORED_HEADERS } from '../src/contract/parameter-text.js';
import { SchemaProblem, SchemaRegistry } from './registry.js';

/** A JSON Schema as the (normalised) document writes it; `$ref`s inside are followed on use. */
export type Schema = Record<string, any>;

/** One declared parameter. */
export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly schema: Schema;
  readonly examples: readonly unknown[];
  /** OpenAPI `explode` (form style: true unless the parameter says otherwise). */
  readonly explode: boolean;
  /** Whether its schema has a `default`, which the pipeline fills in when the parameter is missing. */
  readonly hasDefault: boolean;
}

/** One declared response: its content types (with schemas) and headers. */
export interface DeclaredResponse {
  readonly content: Readonly<Record<string, Schema | undefined>>;
  readonly headers: Readonly<Record<string, { required: boolean; schema: Schema | undefined }>>;
  readonly links: Readonly<Record<string, { operationId: string; parameters: Record<string, string> }>>;
}

/** One security scheme an operation can be called with, and how its credential travels. */
export interface SchemeUse {
  readonly name: string;
  readonly kind: 'bearer' | 'basic' | 'apiKey' | 'unsupported';
  /** For apiKey: where the key goes and under which name. */
  readonly in?: 'header' | 'query' | 'cookie';
  readonly parameter?: string;
  readonly scopes: readonly string[];
  /** For an unsupported scheme: its declared type (absent when the document does not declare the scheme). */
  readonly type?: string;
}

/** One operation of the document. */
export interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly requestBody: { readonly required: boolean; readonly contentType: string; readonly schema: Schema; readonly examples: readonly unknown[] } | undefined;
  readonly responses: Readonly<Record<string, DeclaredResponse>>;
  /** True when the operation has no `responses` at all (allowed in OpenAPI 3.1): any status conforms. */
  readonly anyStatus: boolean;
  /** The document's own inconsistencies in this operation, each reported once as a warning. */
  readonly notes: readonly string[];
  /** Whether the operation needs credentials (a non-empty security requirement list without `{}`). */
  readonly secured: boolean;
  /** The security alternatives (OR), each a list of schemes that must all be satisfied (AND). */
  readonly security: readonly (readonly SchemeUse[])[];
  /** Why no request can be built for this operation at all (location: reason), if so. */
  readonly unusable?: string;
}

/** The document and its operations. */
export interface ContractSpec {
  readonly document: Record<string, any>;
  readonly registry: SchemaRegistry;
  readonly operations: readonly Operation[];
  /** Declared methods (upper case) per path template. */
  readonly methodsByPath: ReadonlyMap<string, readonly string[]>;
  /** Every scope the document's security requirements name (what a minted token is given by default). */
  readonly scopes: readonly string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Media types whose bodies the runner sends as JSON. */
const sendsJson = (type: string) => /json/i.test(type) || type === '*/*' || type === 'application/*';

/** The examples of a parameter, media type or schema, read from the document as loaded (the registry's copy has none). */
const examplesOf = (node: Record<string, any> | undefined, registry: SchemaRegistry): unknown[] => {
  const item = node ? (registry.original(node) ?? {}) : {};
  return [
    ...(item.example !== undefined ? [item.example] : []),
    ...Object.values<any>(item.examples ?? {}).map((e) => (typeof e?.$ref === 'string' ? registry.originalAt(e.$ref) : e)?.value).filter((v) => v !== undefined),
  ];
};

function safely<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

function responseOf(raw: Record<string, any>, registry: SchemaRegistry): DeclaredResponse {
  const r = safely(() => registry.resolve(raw), {} as Record<string, any>) ?? {};
  const content = Object.fromEntries(Object.entries<any>(r.content ?? {}).map(([type, media]) => [type, media?.schema]));
  const headers = Object.fromEntries(
    Object.entries<any>(r.headers ?? {}).map(([name, raw]) => {
      const h = safely(() => registry.resolve(raw), undefined);
      return [name, { required: h?.required === true, schema: h?.schema }];
    }),
  );
  const links = Object.fromEntries(
    Object.entries<any>(r.links ?? {})
      .map(([name, l]) => [name, safely(() => registry.resolve(l), undefined)] as const)
      .filter(([, l]) => typeof l?.operationId === 'string')
      .map(([name, l]) => [name, { operationId: l.operationId, parameters: l.parameters ?? {} }]),
  );
  return { content, headers, links };
}

function schemeUse(document: Record<string, any>, registry: SchemaRegistry, name: string, scopes: unknown): SchemeUse {
  const scheme = safely(() => registry.resolve(document.components?.securitySchemes?.[name]), undefined);
  const list = Array.isArray(scopes) ? scopes.map(String) : [];
  const type = String(scheme?.type ?? '');
  const httpScheme = String(scheme?.scheme ?? '').toLowerCase();
  if (type === 'oauth2' || type === 'openIdConnect' || (type === 'http' && httpScheme === 'bearer')) return { name, kind: 'bearer', scopes: list };
  if (type === 'http' && httpScheme === 'basic') return { name, kind: 'basic', scopes: list };
  if (type === 'apiKey' && ['header', 'query', 'cookie'].includes(scheme?.in) && typeof scheme?.name === 'string') {
    return { name, kind: 'apiKey', in: scheme.in, parameter: scheme.name, scopes: list };
  }
  return { name, kind: 'unsupported', scopes: list, ...(scheme ? { type: type || '(no type)' } : {}) };
}

/** Builds the operation list from a parsed document. */
export function contractSpecFrom(raw: Record<string, any>): ContractSpec {
  const registry = new SchemaRegistry(raw);
  const document = registry.document;
  const operations: Operation[] = [];
  const methodsByPath = new Map<string, string[]>();
  const scopes = new Set<string>();
  for (const [path, rawItem] of Object.entries<Record<string, any>>(document.paths ?? {})) {
    const item = safely(() => registry.resolve(rawItem), undefined);
    if (!item || typeof item !== 'object') continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op || typeof op !== 'object') continue;
      const upper = method.toUpperCase();
      methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), upper]);
      const problems: string[] = [];
      const byKey = new Map<string, Record<string, any>>();
      for (const rawParam of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        try {
          const p = registry.resolve(rawParam);
          // OpenAPI: a header parameter named Accept, Content-Type or Authorization "SHALL be ignored" (the pipeline does).
          if (p && typeof p.name === 'string' && !(p.in === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase()))) byKey.set(`${p.in}:${p.name}`, p);
        } catch (error) {
          problems.push(error instanceof SchemaProblem ? error.message : String(error));
        }
      }
      const notes: string[] = [];
      const parameters: Parameter[] = [...byKey.values()].map((p) => {
        const schema = p.schema ?? Object.values<any>(p.content ?? {})[0]?.schema ?? {};
        const hasDefault = safely(() => registry.resolve(schema)?.default !== undefined, false);
        if (hasDefault && p.required === true && p.in !== 'path') {
          notes.push(`${p.in} parameter "${p.name}" is required and has a default: the pipeline fills the default in when it is missing, so its absence is not tested as invalid`);
        }
        return {
          name: p.name,
          in: p.in,
          required: p.in === 'path' || p.required === true,
          schema,
          examples: [...examplesOf(p, registry), ...(registry.original(schema)?.example !== undefined ? [registry.original(schema).example] : [])],
          explode: p.explode ?? (p.style === undefined || p.style === 'form'),
          hasDefault,
        };
      });
      // GET and HEAD never carry a body (fetch and many servers refuse one), whatever the document says.
      const body = upper === 'GET' || upper === 'HEAD' ? undefined : safely(() => registry.resolve(op.requestBody), undefined);
      const entries = Object.entries<any>(body?.content ?? {});
      const [contentType, media] = entries.find(([t]) => /json/i.test(t)) ?? entries.find(([t]) => sendsJson(t)) ?? [];
      if (body?.required === true && !contentType) {
        problems.push(`${registry.pointerOf(body)}/content: the required body has no media type the runner can send (${entries.map(([t]) => t).join(', ') || 'none'}; JSON and */* are sent)`);
      }
      const security: unknown[] = op.security ?? document.security ?? [];
      const alternatives = security
        .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object')
        .map((s) => Object.entries(s).map(([name, list]) => schemeUse(document, registry, name, list)));
      for (const use of alternatives.flat()) use.scopes.forEach((s) => scopes.add(s));
      operations.push({
        operationId: op.operationId ?? `${upper} ${path}`,
        method: upper,
        path,
        parameters,
        requestBody: contentType
          ? {
              required: body.required === true,
              contentType: contentType.includes('*') ? 'application/json' : contentType,
              schema: media?.schema ?? {},
              examples: examplesOf(media ?? {}, registry),
            }
          : undefined,
        responses: Object.fromEntries(Object.entries<any>(op.responses ?? {}).map(([status, r]) => [status, responseOf(r, registry)])),
        anyStatus: op.responses === undefined,
        notes,
        secured: alternatives.length > 0 && !alternatives.some((a) => a.length === 0),
        security: alternatives,
        ...(problems.length > 0 ? { unusable: problems.join('; ') } : {}),
      });
    }
  }
  return { document, registry, operations, methodsByPath, scopes: [...scopes] };
}

/** Loads a document from a path or an http(s) URL (JSON or YAML). */
export async function loadContractSpec(location: string): Promise<ContractSpec> {
  const text = /^https?:\/\//.test(location) ? await (await fetch(location, { signal: AbortSignal.timeout(30_000) })).text() : await readFile(location, 'utf8');
  return contractSpecFrom(parse(text, { maxAliasCount: -1 }) as Record<string, any>);
}
