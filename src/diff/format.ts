/**
 * The breaking-change report in three formats: `text` for a terminal, `json` for tools, and
 * `markdown` for a pull-request comment (breaking and warnings as tables, the rest folded).
 */
import { SEVERITIES, type Finding, type Severity } from './checks.js';
import type { DiffResult } from './diff.js';

/** The output formats of `npm run diff`. */
export const FORMATS = ['text', 'json', 'markdown'] as const;

/** One of FORMATS. */
export type Format = (typeof FORMATS)[number];

/** Where the two documents came from, as given on the command line. */
export interface Sources {
  readonly old: string;
  readonly new: string;
}

const operationText = (f: Finding) => `${f.operation.method} ${f.operation.path}${f.operation.operationId ? ` (${f.operation.operationId})` : ''}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const summary = (r: DiffResult) => `${plural(r.counts.breaking, 'breaking change')}, ${plural(r.counts.warning, 'warning')}, ${r.counts.info} info`;

/** The report as text: one block per finding, most severe first, and a summary line. */
export function formatText(result: DiffResult, sources: Sources): string {
  const lines = [`${sources.old} → ${sources.new}`];
  for (const f of result.findings) {
    lines.push(`${f.severity.padEnd(8)} ${f.check}  ${operationText(f)}`, `         ${f.message}`);
    const where = [f.pointer.old === null ? '' : `old #${f.pointer.old}`, f.pointer.new === null ? '' : `new #${f.pointer.new}`].filter(Boolean).join('  ');
    lines.push(`         ${where}`);
  }
  lines.push(`${summary(result)}: ${result.breaking ? 'BREAKING' : 'compatible'}`);
  return `${lines.join('\n')}\n`;
}

/** The report as JSON: `{old, new, breaking, counts, findings: [{check, severity, operation, message, pointer}]}`. */
export function formatJson(result: DiffResult, sources: Sources): string {
  return `${JSON.stringify({ old: sources.old, new: sources.new, breaking: result.breaking, counts: result.counts, findings: result.findings }, null, 2)}\n`;
}

// A Markdown table cell: pipes escaped, one line.
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function table(findings: readonly Finding[]): string[] {
  return [
    '| Check | Operation | Change | Where (old → new) |',
    '|---|---|---|---|',
    ...findings.map((f) => {
      const where = `${f.pointer.old === null ? '—' : code(f.pointer.old)} → ${f.pointer.new === null ? '—' : code(f.pointer.new)}`;
      return `| ${code(f.check)} | ${cell(`${code(`${f.operation.method} ${f.operation.path}`)}${f.operation.operationId ? ` ${f.operation.operationId}` : ''}`)} | ${cell(f.message)} | ${cell(where)} |`;
    }),
  ];
}

const HEADINGS: Record<Severity, string> = { breaking: '💥 Breaking', warning: '⚠️ Warnings', info: 'ℹ️ Compatible changes' };

/** The report as Markdown for a pull-request comment. */
export function formatMarkdown(result: DiffResult, sources: Sources): string {
  const verdict = result.breaking ? '**Breaking changes.**' : 'No breaking change.';
  const lines = [`### API contract: ${code(sources.old)} → ${code(sources.new)}`, '', `${verdict} ${summary(result)}.`];
  for (const severity of SEVERITIES) {
    const findings = result.findings.filter((f) => f.severity === severity);
    if (findings.length === 0) continue;
    const heading = `${HEADINGS[severity]} (${findings.length})`;
    if (severity === 'info') lines.push('', '<details>', `<summary>${heading}</summary>`, '', ...table(findings), '', '</details>');
    else lines.push('', `#### ${heading}`, '', ...table(findings));
  }
  return `${lines.join('\n')}\n`;
}

/** The report in the given format. */
export function formatReport(format: Format, result: DiffResult, sources: Sources): string {
  return format === 'json' ? formatJson(result, sources) : format === 'markdown' ? formatMarkdown(result, sources) : formatText(result, sources);
}
