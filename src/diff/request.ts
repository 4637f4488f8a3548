/**
 * Request checks: parameters (path, query, header, cookie; path-item ones included) and the
 * request body. A call that the old document allowed must still be allowed.
 */
import type { OpenApiDocument } from '../contract/spec.js';
import type { Change } from './checks.js';
import type { OperationAt } from './operations.js';
import { child, resolve, type Located } from './refs.js';
import { within, type SchemaComparer } from './schemas.js';

interface Parameter {
  readonly key: string;
  readonly in: string;
  readonly name: string;
  readonly required: boolean;
  readonly pointer: string;
  readonly schema: Located | undefined;
  /** How the value is serialised: style and explode, defaults filled in. */
  readonly serialised: string;
}

// OpenAPI: header parameters with these names are ignored (they are described elsewhere).
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

function parametersOf(document: OpenApiDocument, at: OperationAt): Map<string, Parameter> {
  const names = [...at.path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  const found = new Map<string, Parameter>();
  const read = (list: unknown, pointer: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, i) => {
      const { node, pointer: at } = resolve(document, { node: raw, pointer: child(pointer, 'parameters', i) });
      if (typeof node?.name !== 'string' || typeof node.in !== 'string') return;
      const lower = node.name.toLowerCase();
      if (node.in === 'header' && IGNORED_HEADERS.has(lower)) return;
      // A path parameter is its place in the template; a header's name has no case.
      const key = node.in === 'path' ? `path:${names.indexOf(node.name)}` : node.in === 'header' ? `header:${lower}` : `${node.in}:${node.name}`;
      const media = node.schema === undefined ? Object.keys(node.content ?? {})[0] : undefined;
      const schema = node.schema !== undefined ? { node: node.schema, pointer: child(at, 'schema') } : media !== undefined ? { node: node.content[media].schema ?? {}, pointer: child(at, 'content', media, 'schema') } : undefined;
      const style = node.style ?? (node.in === 'query' || node.in === 'cookie' ? 'form' : 'simple');
      const serialised = `style: ${style}, explode: ${node.explode ?? style === 'form'}`;
      found.set(key, { key, in: node.in, name: node.name, required: node.required === true || node.in === 'path', pointer: at, schema, serialised });
    });
  };
  read(at.item.parameters, at.itemPointer);
  read(at.operation.parameters, at.pointer);
  return found;
}

const describe = (p: Parameter) => `${p.in} parameter ${p.name}`;
const sameSchema = (a: Parameter, b: Parameter) => JSON.stringify(a.schema?.node ?? null) === JSON.stringify(b.schema?.node ?? null);

/** Parameter changes: added, required, moved, renamed, removed, and each schema compared. */
export function parameterChanges(before: OpenApiDocument, after: OpenApiDocument, was: OperationAt, now: OperationAt, schemas: SchemaComparer): Change[] {
  const old = parametersOf(before, was);
  const neu = parametersOf(after, now);
  const changes: Change[] = [];
  const removed = [...old.values()].filter((p) => !neu.has(p.key));
  const added = [...neu.values()].filter((p) => !old.has(p.key));
  const take = (list: Parameter[], p: Parameter) => list.splice(list.indexOf(p), 1);
  for (const gone of [...removed]) {
    const moved = added.find((p) => p.name.toLowerCase() === gone.name.toLowerCase() && p.in !== gone.in);
    if (!moved) continue;
    changes.push({ check: 'request-parameter-moved', message: `${gone.name} moved from in: ${gone.in} to in: ${moved.in}`, old: gone.pointer, new: moved.pointer });
    take(removed, gone);
    take(added, moved);
  }
  for (const gone of [...removed]) {
    if (gone.in === 'path') continue;
    // Another name in the same place with the same schema; anything else is a removal and an addition.
    const renamed = added.find((p) => p.in === gone.in && sameSchema(p, gone));
    if (!renamed) continue;
    changes.push({ check: 'request-parameter-renamed', message: `${describe(gone)} renamed to ${renamed.name}`, old: gone.pointer, new: renamed.pointer });
    take(removed, gone);
    take(added, renamed);
  }
  for (const p of added) {
    changes.push(p.required ? { check: 'request-parameter-added-required', message: `new required ${describe(p)}`, new: p.pointer } : { check: 'request-parameter-added', message: `new optional ${describe(p)}`, new: p.pointer });
  }
  for (const p of removed) changes.push({ check: 'request-parameter-removed', message: `${describe(p)} removed`, old: p.pointer });
  for (const p of old.values()) {
    const q = neu.get(p.key);
    if (!q) continue;
    if (!p.required && q.required) changes.push({ check: 'request-parameter-became-required', message: `${describe(q)} is now required`, old: p.pointer, new: q.pointer });
    if (p.serialised !== q.serialised) changes.push({ check: 'request-parameter-style-changed', message: `${describe(q)}: ${p.serialised} → ${q.serialised}`, old: p.pointer, new: q.pointer });
    if (p.schema && q.schema) changes.push(...within(schemas.compare(p.schema, q.schema, 'request', 'value'), describe(q)));
  }
  return changes;
}

/** Request body changes: required, media types, and each shared media type's schema. */
export function bodyChanges(before: OpenApiDocument, after: OpenApiDocument, was: OperationAt, now: OperationAt, schemas: SchemaComparer): Change[] {
  const old = was.operation.requestBody === undefined ? undefined : resolve(before, { node: was.operation.requestBody, pointer: child(was.pointer, 'requestBody') });
  const neu = now.operation.requestBody === undefined ? undefined : resolve(after, { node: now.operation.requestBody, pointer: child(now.pointer, 'requestBody') });
  const changes: Change[] = [];
  if (!neu) return changes;
  if (neu.node.required === true && old?.node.required !== true) {
    changes.push({ check: 'request-body-became-required', message: old ? 'the request body is now required' : 'a required request body was added', ...(old ? { old: old.pointer } : {}), new: neu.pointer });
  }
  if (!old) return changes;
  const oldContent: Record<string, any> = old.node.content ?? {};
  const newContent: Record<string, any> = neu.node.content ?? {};
  for (const type of Object.keys(oldContent)) {
    if (!(type in newContent)) changes.push({ check: 'request-media-type-removed', message: `request body ${type} is no longer accepted`, old: child(old.pointer, 'content', type) });
  }
  for (const type of Object.keys(newContent)) {
    const where = child(neu.pointer, 'content', type);
    if (!(type in oldContent)) {
      changes.push({ check: 'request-media-type-added', message: `request body ${type} is now accepted`, new: where });
      continue;
    }
    const a = oldContent[type]?.schema;
    const b = newContent[type]?.schema;
    if (a !== undefined && b !== undefined) {
      const compared = schemas.compare({ node: a, pointer: child(old.pointer, 'content', type, 'schema') }, { node: b, pointer: child(where, 'schema') }, 'request', 'body');
      changes.push(...within(compared, `request body ${type}`));
    }
  }
  return changes;
}
