/**
 * What the contract says about deprecation, read once per operation: `deprecated: true` on the
 * operation or on a parameter, with the dates and link the deprecation stage turns into headers
 * (src/pipeline/deprecation.ts): `x-deprecated-at` (when it was or will be deprecated → the
 * `Deprecation` header, RFC 9745), `x-sunset` (when it stops being served → `Sunset`, RFC 8594),
 * and `x-deprecation-link` or the operation's `externalDocs.url` (→ `Link; rel="deprecation"`).
 * A date that does not parse stops the build, as any other bad contract does.
 */
import { resolveRef } from './refs.js';
import type { Contract, OpenApiDocument } from './spec.js';

/** The headers a deprecated thing adds to every answer, already formatted, as name/value pairs. */
export interface DeprecationHeaders {
  readonly headers: readonly string[];
  /** When the thing stops being served (ms since the epoch), from `x-sunset`. */
  readonly sunsetAt: number | undefined;
  /** `x-sunset` as sent in the Sunset header (an HTTP-date). */
  readonly sunset: string | undefined;
}

/** A deprecated parameter: the headers are sent only when the request carries it. */
export interface DeprecatedParameter {
  readonly in: 'query' | 'header' | 'cookie' | 'path';
  readonly name: string;
  readonly notice: DeprecationHeaders;
}

/** One operation's deprecations. */
export interface OperationDeprecation {
  /** Present when the operation itself is `deprecated: true`. */
  readonly operation: DeprecationHeaders | undefined;
  readonly parameters: readonly DeprecatedParameter[];
}

/** The response headers deprecation may add, for CORS's expose list. */
export const DEPRECATION_HEADERS = ['Deprecation', 'Sunset', 'Link'] as const;

/**
 * The date in `value` (an ISO 8601 date or date-time, a YAML date, or unix seconds) in ms since
 * the epoch; throws naming `where` when it is not one.
 */
function dateOf(value: unknown, where: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new Error(`${where} is not a date (got ${JSON.stringify(value)}): use an ISO 8601 date such as 2026-06-30 or 2026-06-30T00:00:00Z.`);
  return ms;
}

/**
 * The headers for one deprecated object. Without `x-deprecated-at`, `Deprecation` carries
 * `loadedAt` (when this process loaded the contract that marks it): RFC 9745 allows only a date,
 * and "deprecated no later than now" is the one date the server knows to be true.
 */
function noticeFor(item: any, where: string, loadedAt: number, link: unknown): DeprecationHeaders {
  const deprecatedAt = item['x-deprecated-at'] === undefined ? loadedAt : dateOf(item['x-deprecated-at'], `${where} x-deprecated-at`);
  const headers = ['Deprecation', `@${Math.floor(deprecatedAt / 1000)}`];
  const sunsetAt = item['x-sunset'] === undefined ? undefined : dateOf(item['x-sunset'], `${where} x-sunset`);
  const sunset = sunsetAt === undefined ? undefined : new Date(sunsetAt).toUTCString();
  if (sunset !== undefined) headers.push('Sunset', sunset);
  if (typeof link === 'string' && link !== '') headers.push('Link', `<${link}>; rel="deprecation"`);
  return { headers, sunsetAt, sunset };
}

/** Each operation's deprecations by operationId; operations with none are absent. */
export function deprecationsOf(contract: Contract, loadedAt = Date.now()): Map<string, OperationDeprecation> {
  const document: OpenApiDocument = contract.document;
  const found = new Map<string, OperationDeprecation>();
  for (const info of contract.operations) {
    const pathItem = resolveRef(document, document.paths?.[info.path]);
    const op = pathItem?.[info.method];
    if (!op) continue;
    const where = `${info.method.toUpperCase()} ${info.path}`;
    const operation = op.deprecated === true ? noticeFor(op, where, loadedAt, op['x-deprecation-link'] ?? op.externalDocs?.url) : undefined;
    const parameters: DeprecatedParameter[] = [];
    for (const raw of [...(pathItem.parameters ?? []), ...(op.parameters ?? [])]) {
      const param = resolveRef(document, raw);
      if (param?.deprecated !== true || typeof param.name !== 'string') continue;
      const notice = noticeFor(param, `${where} parameter ${param.name}`, loadedAt, param['x-deprecation-link']);
      parameters.push({ in: param.in, name: param.name, notice });
    }
    if (operation || parameters.length > 0) found.set(info.operationId, { operation, parameters });
  }
  return found;
}
