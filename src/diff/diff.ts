/**
 * `diffDocuments(old, new)`: the breaking-change check as a library. It takes documents already
 * parsed (and converted to OpenAPI 3.x, and overlaid when overlays exist), does no I/O and is
 * synchronous, so live reload can call it to decide whether to accept a new contract.
 * docs/contract.md "The breaking-change check" describes every check.
 */
import { assertOpenApi3 } from '../contract/openapi-version.js';
import { inlinePathItems, type OpenApiDocument } from '../contract/spec.js';
import { SEVERITIES, type Change, type Finding, type FindingOperation, type Severity } from './checks.js';
import { extensionChanges } from './extensions.js';
import { operationChanges, pairOperations, removalOf, type OperationAt } from './operations.js';
import { bodyChanges, parameterChanges } from './request.js';
import { responseChanges } from './responses.js';
import { SchemaComparer } from './schemas.js';
import { securityChanges } from './security.js';
import { severityOf, type SeverityOverrides } from './severities.js';

/** Options of diffDocuments. */
export interface DiffOptions {
  /** Per-check severities (a config file's `severities`, see severitiesFromConfig). */
  readonly severities?: SeverityOverrides;
}

/** What diffDocuments found. */
export interface DiffResult {
  /** Every finding, most severe first, then by path, method and check. */
  readonly findings: readonly Finding[];
  /** Whether any finding is breaking (the CLI's exit 1). */
  readonly breaking: boolean;
  /** How many findings of each severity. */
  readonly counts: Readonly<Record<Severity, number>>;
}

const operationOf = (at: OperationAt, other?: OperationAt): FindingOperation => ({
  operationId: at.operationId ?? other?.operationId ?? null,
  method: at.method.toUpperCase(),
  path: at.path,
});

/** Compares two OpenAPI 3.x documents; throws UnsupportedDocument when either is not 3.x. */
export function diffDocuments(oldDocument: OpenApiDocument, newDocument: OpenApiDocument, options: DiffOptions = {}): DiffResult {
  assertOpenApi3(oldDocument);
  assertOpenApi3(newDocument);
  const before = inlinePathItems(oldDocument);
  const after = inlinePathItems(newDocument);
  const overrides = options.severities ?? {};
  const findings: Finding[] = [];
  const report = (operation: FindingOperation, changes: readonly Change[]) => {
    // One component reached along two routes (two oneOf branches) is one change.
    const seen = new Set<string>();
    for (const change of changes) {
      const severity = severityOf(change.check, overrides);
      const key = `${change.check}\0${change.message}\0${change.old}\0${change.new}`;
      if (severity === 'off' || seen.has(key)) continue;
      seen.add(key);
      findings.push({ check: change.check, severity, operation, message: change.message, pointer: { old: change.old ?? null, new: change.new ?? null } });
    }
  };

  const { pairs, removed, added } = pairOperations(before, after);
  const byId = new Map(added.filter((a) => a.operationId !== undefined).map((a) => [a.operationId, a]));
  for (const was of removed) report(operationOf(was), [removalOf(was, after, was.operationId === undefined ? undefined : byId.get(was.operationId))]);
  for (const now of added) report(operationOf(now), [{ check: 'operation-added', message: `new operation ${now.method.toUpperCase()} ${now.path}`, new: now.pointer }]);
  const schemas = new SchemaComparer(before, after);
  for (const [was, now] of pairs) {
    report(operationOf(now, was), [
      ...operationChanges(was, now),
      ...parameterChanges(before, after, was, now, schemas),
      ...bodyChanges(before, after, was, now, schemas),
      ...responseChanges(before, after, was, now, schemas),
      ...securityChanges(before, after, was, now),
      ...extensionChanges(before, after, was, now),
    ]);
  }

  findings.sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      compare(a.operation.path, b.operation.path) ||
      compare(a.operation.method, b.operation.method) ||
      compare(a.check, b.check) ||
      compare(a.message, b.message),
  );
  const counts = { breaking: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return { findings, breaking: counts.breaking > 0, counts };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
