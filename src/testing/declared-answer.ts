/**
 * Whether a real answer is one a published document declares: its status (or the `4XX`/`default`
 * it falls under), its media type, its JSON body against the declared schema (the response check
 * the gateway runs on upstream answers, src/gateway/response-contract.ts), and every header a
 * pipeline stage added to it (X-Request-ID, Retry-After, RateLimit …) named by the declared response.
 */
import { compileOperationValidators, type ValidatorSet } from '../contract/operation-validators.js';
import { STAGE_HEADERS } from '../contract/error-components.js';
import { resolveRef } from '../contract/refs.js';
import { contractFrom, type Contract, type OpenApiDocument } from '../contract/spec.js';
import { bodyViolation, headViolation } from '../gateway/response-contract.js';

const compiled = new WeakMap<OpenApiDocument, { contract: Contract; validators: ValidatorSet }>();

/** The headers specgate's stages add, lower-cased: what a declared response must name when an answer carries one. */
const ADDED = Object.keys(STAGE_HEADERS).map((name) => name.toLowerCase());

/** The declared response `status` falls under in the operation, resolved. */
function declaredResponse(document: OpenApiDocument, responses: Record<string, unknown>, status: number): Record<string, any> | undefined {
  const key = [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default'].find((k) => k in responses);
  return key === undefined ? undefined : resolveRef(document, responses[key]);
}

/** The ways `res` (its body already read as `body`) breaks what `published` declares for `operationId`; empty when it keeps to it. */
export function declaredAnswerProblems(published: OpenApiDocument, operationId: string, res: Response, body: string): string[] {
  let entry = compiled.get(published);
  if (entry === undefined) {
    const contract = contractFrom(published);
    compiled.set(published, (entry = { contract, validators: compileOperationValidators(contract, { responses: true }) }));
  }
  const op = entry.contract.operations.find((o) => o.operationId === operationId);
  if (op === undefined) return [`${operationId} is not published`];
  const checks = entry.validators.get(operationId);
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => (headers[name] = value));
  const head = { status: res.status, contentType: res.headers.get('content-type') ?? undefined, hasBody: body.length > 0, headers };
  const problems = [headViolation(checks, op, head), bodyViolation(checks, res.status, Buffer.from(body))].filter((p): p is string => p !== undefined);
  const declared = declaredResponse(published, published.paths[op.path][op.method].responses ?? {}, res.status);
  const named = new Set(Object.keys(declared?.headers ?? {}).map((name) => name.toLowerCase()));
  for (const name of ADDED) if (res.headers.has(name) && !named.has(name)) problems.push(`status ${res.status} does not declare the ${name} header it carries`);
  return problems.map((problem) => `${operationId}: ${problem}`);
}

/** The operationId `published` declares for `method` and the request `path` (its query ignored; a `{name}` matches one segment), if any. */
export function operationAt(published: OpenApiDocument, method: string, path: string): string | undefined {
  const segments = path.split('?')[0]!.split('/');
  for (const [template, item] of Object.entries<Record<string, any>>(published.paths ?? {})) {
    const parts = template.split('/');
    if (parts.length !== segments.length || !parts.every((part, i) => /^\{[^}]+\}$/.test(part) ? segments[i] !== '' : part === segments[i])) continue;
    const id = item?.[method.toLowerCase()]?.operationId;
    if (typeof id === 'string') return id;
  }
  return undefined;
}
