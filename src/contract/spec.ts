/**
 * Loads openapi.yaml once at start-up and indexes what the pipeline needs from it: each
 * operation's id, method, path, security requirements and request content types.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MAX_REF_HOPS, pointerTarget, resolveRef } from './refs.js';
import { statusMapOf } from './status-map.js';

/** The HTTP methods an OpenAPI path item can declare. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One security requirement object: scheme name → scopes. All of them must hold (AND). */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/** What the pipeline knows about one declared operation. */
export interface OperationInfo {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  /** Alternatives (OR); an empty list means public. */
  readonly security: readonly SecurityRequirement[];
  readonly requestContentTypes: readonly string[];
  /** Declared media types per response status ('200', '4XX', 'default'); the first one is what a handler's body is sent as. */
  readonly responseContentTypes: Readonly<Record<string, readonly string[]>>;
  /** The status a refused request is answered with: 422 where the operation declares 422 and not 400 (FastAPI), else 400. */
  readonly validationStatus: 400 | 422;
}

/** A parsed OpenAPI document (kept loose: the libraries that read it validate it). */
export type OpenApiDocument = Record<string, any>;

/** The loaded contract: the raw document, its source text and its operation index. */
export interface Contract {
  readonly document: OpenApiDocument;
  /** The document's text as read (YAML or JSON). */
  readonly source: string;
  readonly operations: readonly OperationInfo[];
  readonly version: string;
}

/** Default location of the contract, resolved from the repository root. */
export const DEFAULT_SPEC_PATH = new URL('../../openapi.yaml', import.meta.url).pathname;

/** Where `npm run build` writes a YAML document already parsed: `{sha256, document}` beside it. */
export const parsedCachePath = (specPath: string) => `${specPath}.json`;

/** The digest that ties a parsed cache to the exact YAML text it was parsed from. */
export const sourceDigest = (source: string) => createHash('sha256').update(source).digest('hex');

/**
 * The document `npm run build` parsed from exactly this text, when its cache is there: the
 * compiled build starts without loading the YAML parser (about a quarter of its start-up).
 */
function parsedFromCache(source: string, specPath: string): OpenApiDocument | undefined {
  const cache = parsedCachePath(specPath);
  if (!existsSync(cache)) return undefined;
  try {
    const cached = JSON.parse(readFileSync(cache, 'utf8')) as { sha256?: string; document?: OpenApiDocument };
    return cached.sha256 === sourceDigest(source) ? cached.document : undefined;
  } catch {
    // An unreadable cache is ignored: the YAML text is the truth.
    return undefined;
  }
}

/**
 * A document's text as data: JSON by JSON.parse (far faster than the YAML parser on big JSON
 * documents: GitHub's is 13 MB), anything else by the YAML parser, loaded only then.
 */
export function parseDocumentText(source: string): unknown {
  if (source.trimStart().startsWith('{')) return JSON.parse(source);
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return parse(source);
}

/** Reads and indexes an OpenAPI document (YAML or JSON); a document without operationIds refuses to load. */
export function loadContract(specPath: string = DEFAULT_SPEC_PATH): Contract {
  const source = readFileSync(specPath, 'utf8');
  const document = parsedFromCache(source, specPath) ?? (parseDocumentText(source) as OpenApiDocument);
  return contractFrom(document, source);
}

/**
 * A document whose path items are all inline: a path item that is a `$ref` (into
 * `components.pathItems` or another path) is replaced by its target, its own fields winning.
 * Returns the same document when no path item is a reference.
 */
export function inlinePathItems(document: OpenApiDocument): OpenApiDocument {
  const paths = Object.entries<Record<string, any>>(document.paths ?? {});
  if (!paths.some(([, item]) => typeof item?.$ref === 'string')) return document;
  const inline = (item: Record<string, any>, hops = 0): Record<string, any> => {
    if (typeof item?.$ref !== 'string' || hops > MAX_REF_HOPS) return item;
    const { $ref, ...rest } = item;
    const target = pointerTarget(document, $ref);
    if (target === undefined) throw new Error(`Unresolvable $ref ${String($ref)} for a path item`);
    return { ...inline(target, hops + 1), ...rest };
  };
  return { ...document, paths: Object.fromEntries(paths.map(([path, item]) => [path, inline(item)])) };
}

/** 422 where the responses declare 422 and not 400, else 400. */
const validationStatusOf = (responses: Record<string, unknown>): 400 | 422 => ('422' in responses && !('400' in responses) ? 422 : 400);

/** Indexes an already-parsed OpenAPI document; `source` defaults to the document as JSON. */
export function contractFrom(parsed: OpenApiDocument, source?: string): Contract {
  const document = inlinePathItems(parsed);
  const globalSecurity: SecurityRequirement[] = document.security ?? [];
  const operations: OperationInfo[] = [];
  const missingIds: string[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      if (typeof operation.operationId !== 'string') {
        missingIds.push(`${method.toUpperCase()} ${path}`);
        continue;
      }
      operations.push({
        operationId: operation.operationId,
        method,
        path,
        security: operation.security ?? globalSecurity,
        requestContentTypes: Object.keys(operation.requestBody?.content ?? {}),
        responseContentTypes: statusMapOf(
          Object.entries<any>(operation.responses ?? {}).map(([status, response]) => [status, Object.keys(resolveRef(document, response)?.content ?? {})]),
        ),
        validationStatus: validationStatusOf(operation.responses ?? {}),
      });
    }
  }
  if (missingIds.length > 0) throw new Error(`Every operation needs an operationId; missing on: ${missingIds.join(', ')}`);
  // The JSON text of a large document (GitHub's is 13 MB) is made only if something reads it.
  let text = source;
  return Object.freeze({
    document,
    get source() {
      return (text ??= JSON.stringify(parsed));
    },
    operations: Object.freeze(operations),
    version: String(document.info?.version ?? '0.0.0'),
  });
}
