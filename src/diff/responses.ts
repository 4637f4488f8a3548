/**
 * Response checks: statuses, media types, headers and bodies. What a client reads from the old
 * document's answers must still come, in the same shape.
 */
import type { OpenApiDocument } from '../contract/spec.js';
import type { Change } from './checks.js';
import type { OperationAt } from './operations.js';
import { child, resolve, type Located } from './refs.js';
import { within, type SchemaComparer } from './schemas.js';

const isSuccess = (status: string) => /^2(\d\d|XX)$/i.test(status);

const headersOf = (response: Record<string, any>): Map<string, [string, unknown]> =>
  new Map(Object.entries(response.headers ?? {}).map(([name, header]) => [name.toLowerCase(), [name, header]]));

/** Every response change of a paired operation. */
export function responseChanges(before: OpenApiDocument, after: OpenApiDocument, was: OperationAt, now: OperationAt, schemas: SchemaComparer): Change[] {
  const oldResponses: Record<string, unknown> = was.operation.responses ?? {};
  const newResponses: Record<string, unknown> = now.operation.responses ?? {};
  const changes: Change[] = [];
  for (const status of Object.keys(oldResponses)) {
    if (status in newResponses) continue;
    const pointer = child(was.pointer, 'responses', status);
    changes.push(isSuccess(status) ? { check: 'response-success-status-removed', message: `status ${status} is no longer answered`, old: pointer } : { check: 'response-status-removed', message: `status ${status} is no longer declared`, old: pointer });
  }
  for (const status of Object.keys(newResponses)) {
    const at = child(now.pointer, 'responses', status);
    if (!(status in oldResponses)) {
      changes.push({ check: 'response-status-added', message: `new status ${status}`, new: at });
      continue;
    }
    const old = resolve(before, { node: oldResponses[status], pointer: child(was.pointer, 'responses', status) });
    const neu = resolve(after, { node: newResponses[status], pointer: at });
    changes.push(...contentChanges(status, old, neu, schemas), ...headerChanges(before, after, status, old, neu, schemas));
  }
  return changes;
}

function contentChanges(status: string, old: Located, neu: Located, schemas: SchemaComparer): Change[] {
  const changes: Change[] = [];
  const oldContent: Record<string, any> = old.node?.content ?? {};
  const newContent: Record<string, any> = neu.node?.content ?? {};
  for (const type of Object.keys(oldContent)) {
    if (!(type in newContent) && isSuccess(status)) {
      const instead = Object.keys(newContent);
      changes.push({ check: 'response-media-type-removed', message: `status ${status} no longer comes as ${type}${instead.length > 0 ? ` (now ${instead.join(', ')})` : ''}`, old: child(old.pointer, 'content', type), new: neu.pointer });
    }
  }
  for (const type of Object.keys(newContent)) {
    if (!(type in oldContent)) {
      changes.push({ check: 'response-media-type-added', message: `status ${status} also comes as ${type}`, new: child(neu.pointer, 'content', type) });
      continue;
    }
    const a = oldContent[type]?.schema;
    const b = newContent[type]?.schema;
    if (a === undefined || b === undefined) continue;
    const compared = schemas.compare({ node: a, pointer: child(old.pointer, 'content', type, 'schema') }, { node: b, pointer: child(neu.pointer, 'content', type, 'schema') }, 'response', 'body');
    changes.push(...within(compared, `response ${status} ${type}`));
  }
  return changes;
}

function headerChanges(before: OpenApiDocument, after: OpenApiDocument, status: string, old: Located, neu: Located, schemas: SchemaComparer): Change[] {
  const changes: Change[] = [];
  const oldHeaders = headersOf(old.node ?? {});
  const newHeaders = headersOf(neu.node ?? {});
  for (const [key, [name]] of oldHeaders) {
    if (!newHeaders.has(key)) changes.push({ check: 'response-header-removed', message: `status ${status} no longer sends header ${name}`, old: child(old.pointer, 'headers', name) });
  }
  for (const [key, [name, header]] of newHeaders) {
    const at = child(neu.pointer, 'headers', name);
    const was = oldHeaders.get(key);
    if (!was) {
      changes.push({ check: 'response-header-added', message: `status ${status} sends new header ${name}`, new: at });
      continue;
    }
    const a = resolve(before, { node: was[1], pointer: child(old.pointer, 'headers', was[0]) });
    const b = resolve(after, { node: header, pointer: at });
    if (a.node?.schema === undefined || b.node?.schema === undefined) continue;
    const compared = schemas.compare({ node: a.node.schema, pointer: child(a.pointer, 'schema') }, { node: b.node.schema, pointer: child(b.pointer, 'schema') }, 'response', 'value');
    changes.push(...within(compared, `response ${status} header ${name}`));
  }
  return changes;
}
