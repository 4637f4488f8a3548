/** Writes a Diagnosis in plain words, the way a person reads a browser console. */
import type { Diagnosis, DoctorRequest } from './diagnose.js';

const VERDICTS: Record<Diagnosis['verdict'], string> = {
  allowed: 'ALLOWED: a browser lets the page read this response.',
  'allowed-with-warnings': 'ALLOWED, WITH A WARNING: a browser lets the page read it today, but see below.',
  blocked: 'BLOCKED: a browser would not let the page read the response (the page sees "TypeError: Failed to fetch").',
};

/** The exit code for a verdict: 0 allowed, 1 blocked, 2 allowed with a warning. */
export function exitCode(diagnosis: Diagnosis): number {
  return diagnosis.verdict === 'allowed' ? 0 : diagnosis.verdict === 'blocked' ? 1 : 2;
}

/** The report text. */
export function formatReport(request: DoctorRequest, diagnosis: Diagnosis): string {
  const lines = [
    `cors doctor: fetch(${JSON.stringify(request.url)}, { method: '${request.method}'${request.credentials ? ", credentials: 'include'" : ''} })`,
    `  from a page on ${request.origin}${request.headers.length ? ` with ${request.headers.map((h) => h.name).join(', ')}` : ''}`,
    '',
  ];
  diagnosis.exchanges.forEach((exchange, i) => {
    lines.push(`${i + 1}. ${exchange.label} → ${exchange.status}`);
    const headers = Object.entries(exchange.headers);
    if (headers.length === 0) lines.push('     (no CORS headers)');
    for (const [name, value] of headers) lines.push(`     ${name}: ${value}`);
  });
  lines.push('', VERDICTS[diagnosis.verdict]);
  const last = diagnosis.exchanges[diagnosis.exchanges.length - 1];
  if (diagnosis.verdict !== 'blocked' && last && last.status >= 400) {
    lines.push(`The page can read the ${last.status} and its JSON body: CORS is fine, the request itself failed.`);
  }
  if (diagnosis.verdict !== 'blocked' && diagnosis.unreadableHeaders.length > 0) {
    lines.push(`Note: the page cannot read ${diagnosis.unreadableHeaders.join(', ')}; list them in Access-Control-Expose-Headers if it needs them.`);
  }
  for (const finding of diagnosis.findings) {
    lines.push('', `${finding.severity === 'block' ? '✗' : '!'} [${finding.code}] ${finding.problem}`);
    if (finding.console) lines.push(`  Browser console: ${finding.console}`);
    lines.push(`  Fix: ${finding.fix}`);
  }
  return `${lines.join('\n')}\n`;
}
