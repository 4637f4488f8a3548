/**
 * Checks an upstream's answer against the responses its operation declares: the status, the
 * media type, whether a body is there, and a JSON body against its schema. Returns the violation
 * in words (the operation's contract, never the upstream's data), or undefined.
 */
import type { OperationValidators } from '../contract/operation-validators.js';
import { resolveRef } from '../contract/refs.js';
import type { Contract, OperationInfo } from '../contract/spec.js';

/** What is known of the answer before its body is read. */
export interface AnswerHead {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly hasBody: boolean;
  /** The answer's header names, lower-cased. */
  readonly headers: Readonly<Record<string, unknown>>;
}

/** Per operationId, per declared status key (upper case), the response headers it requires (lower case). */
export function requiredResponseHeaders(contract: Contract): ReadonlyMap<string, ReadonlyMap<string, readonly string[]>> {
  const byOperation = new Map<string, Map<string, string[]>>();
  for (const op of contract.operations) {
    const statuses = new Map<string, string[]>();
    for (const [status, raw] of Object.entries<any>(contract.document.paths[op.path][op.method].responses ?? {})) {
      const headers = Object.entries<any>(resolveRef(contract.document, raw)?.headers ?? {});
      const required = headers.filter(([, h]) => resolveRef(contract.document, h)?.required === true).map(([name]) => name.toLowerCase());
      if (required.length > 0) statuses.set(status.toUpperCase(), required);
    }
    byOperation.set(op.operationId, statuses);
  }
  return byOperation;
}

const mediaType = (contentType: string | undefined) => contentType?.split(';')[0]!.trim().toLowerCase();
const isJson = (type: string | undefined) => type !== undefined && /^application\/([\w.+-]+\+)?json$/.test(type);

type Declared = NonNullable<OperationValidators['responses']> extends ReadonlyMap<string, infer D> ? D : never;
/** The response an answer's status falls under: its key (`200`, `2XX`, `DEFAULT`) and validators. */
interface Found {
  readonly key: string;
  readonly declared: Declared;
}

/** Per operation's validators, per status seen, the declared response it falls under (null: none); a contract has few statuses. */
const foundByStatus = new WeakMap<OperationValidators, Map<number, Found | null>>();

function declaredFor(validators: OperationValidators, status: number): Found | undefined {
  let byStatus = foundByStatus.get(validators);
  if (byStatus === undefined) foundByStatus.set(validators, (byStatus = new Map()));
  let found = byStatus.get(status);
  if (found === undefined) {
    const key = [String(status), `${String(status)[0]}XX`, 'DEFAULT'].find((k) => validators.responses!.has(k));
    found = key === undefined ? null : { key, declared: validators.responses!.get(key)! };
    // Statuses are three digits; anything else is not kept (the map stays bounded).
    if (status >= 100 && status <= 999) byStatus.set(status, found);
  }
  return found ?? undefined;
}

/** Whether the body must be read to finish the check (a JSON body with a declared schema). */
export function needsBody(validators: OperationValidators, head: AnswerHead): boolean {
  if (!validators.responses || !head.hasBody) return false;
  const found = declaredFor(validators, head.status);
  return found?.declared.json !== undefined && isJson(mediaType(head.contentType));
}

/** The violation of the head (status, media type, body presence), or undefined. */
export function headViolation(validators: OperationValidators, op: OperationInfo, head: AnswerHead, required?: ReadonlyMap<string, readonly string[]>): string | undefined {
  if (!validators.responses) return undefined;
  const found = declaredFor(validators, head.status);
  if (!found) return `status ${head.status} is not declared`;
  const { key, declared } = found;
  const missing = (required?.get(key) ?? []).filter((name) => head.headers[name] === undefined);
  if (missing.length > 0) return `status ${head.status} requires the header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  if (!declared.hasContent) return head.hasBody ? `status ${head.status} declares no body and one was sent` : undefined;
  if (!head.hasBody) return `status ${head.status} declares a body and none was sent`;
  const types = (op.responseContentTypes[key] ?? op.responseContentTypes[key.toLowerCase()] ?? []).map((t) => t.toLowerCase());
  const type = mediaType(head.contentType);
  const accepted = types.some((t) => t === type || t === '*/*' || (t.endsWith('/*') && type?.startsWith(t.slice(0, -1))));
  return accepted ? undefined : `the Content-Type of ${head.status} is ${type ?? 'missing'}, not ${types.join(' or ')}`;
}

/** The violation of a JSON body read in full, or undefined; the failing schema locations (`#/properties/…`) are pushed onto `schemaPaths`. */
export function bodyViolation(validators: OperationValidators, status: number, bytes: Buffer, schemaPaths: string[] = []): string | undefined {
  const validate = declaredFor(validators, status)?.declared.json;
  if (!validate) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    return `the body of ${status} is not valid JSON`;
  }
  if (validate(body)) return undefined;
  schemaPaths.push(...(validate.errors ?? []).slice(0, 5).map((e) => e.schemaPath));
  const problems = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  return `the body of ${status} breaks the schema (${problems.join('; ')})`;
}
