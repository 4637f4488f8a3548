/**
 * Whether a reloaded contract may replace the running one: the breaking-change check
 * (src/diff/) between the two documents, applied anyway with `--allow-breaking` /
 * RELOAD_ALLOW_BREAKING=true or when `info.version`'s major number went up (the owner announced
 * the break). Also the contract digest the reload log lines carry.
 */
import { createHash } from 'node:crypto';
import type { OpenApiDocument } from '../contract/spec.js';
import { diffDocuments, type Finding } from '../diff/index.js';

/** What the check decided, and why. */
export interface ReloadDecision {
  readonly apply: boolean;
  /** Why it applies or not: `compatible`, `allow-breaking`, `major-version`, or `breaking`. */
  readonly reason: 'compatible' | 'allow-breaking' | 'major-version' | 'breaking';
  /** Every finding the check rated breaking (listed in the log either way). */
  readonly breaking: readonly Finding[];
  readonly counts: Readonly<Record<'breaking' | 'warning' | 'info', number>>;
}

/** The major number of an `info.version` (`2`, `v2.1.0`, `2024.1` …); undefined when it starts with no number. */
export function majorOf(version: unknown): number | undefined {
  const match = /^\s*v?(\d+)/i.exec(String(version ?? ''));
  return match ? Number(match[1]) : undefined;
}

/** Decides whether `next` may replace `running`. */
export function decideReload(running: OpenApiDocument, next: OpenApiDocument, allowBreaking: boolean): ReloadDecision {
  const { findings, counts } = diffDocuments(running, next);
  const breaking = findings.filter((finding) => finding.severity === 'breaking');
  if (breaking.length === 0) return { apply: true, reason: 'compatible', breaking, counts };
  if (allowBreaking) return { apply: true, reason: 'allow-breaking', breaking, counts };
  const before = majorOf(running.info?.version);
  const after = majorOf(next.info?.version);
  if (before !== undefined && after !== undefined && after > before) return { apply: true, reason: 'major-version', breaking, counts };
  return { apply: false, reason: 'breaking', breaking, counts };
}

/** JSON.stringify's replacer for canonical JSON: every object's keys in sorted order (arrays and values as they are). */
function sortedKeys(_key: string, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

/** The contract digest in reload log lines: sha256 of the document's canonical JSON, its first 12 hex digits. */
export const contractDigest = (document: OpenApiDocument): string => createHash('sha256').update(JSON.stringify(document, sortedKeys)).digest('hex').slice(0, 12);

/** One breaking finding as a log line's fields: the operation, the check and where (old → new pointer). */
export function findingFields(finding: Finding): { check: string; operation: string; pointer: string; message: string } {
  const { operationId, method, path } = finding.operation;
  const pointer = `${finding.pointer.old ?? '—'} → ${finding.pointer.new ?? '—'}`;
  return { check: finding.check, operation: `${method.toUpperCase()} ${path} (${operationId ?? 'no operationId'})`, pointer, message: finding.message };
}
