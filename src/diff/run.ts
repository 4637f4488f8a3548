/**
 * `npm run diff -- <old> <new> [--format text|json|markdown] [--config FILE] [--overlay FILE]…
 * [--old-overlay FILE]… [--new-overlay FILE]…`: reports what changed between two OpenAPI documents
 * (files or http(s) URLs) and whether it breaks clients. `--overlay` applies to both documents,
 * before the side's own `--old-overlay` / `--new-overlay`; a target that selects nothing is a warning on stderr.
 * Exit 0: nothing breaks; 1: something does; 2: a document, the config or the arguments cannot
 * be used (one line on stderr).
 */
import { parseArgs } from 'node:util';
import { diffDocuments } from './diff.js';
import { FORMATS, formatReport, type Format } from './format.js';
import { DiffInputError, loadDocument, loadSeverities } from './load.js';

const USAGE = 'usage: npm run diff -- <old openapi file|url> <new openapi file|url> [--format text|json|markdown] [--config severities.yaml] [--overlay F]… [--old-overlay F]… [--new-overlay F]…';

/** Where the command writes: the report, and one-line problems. */
export interface DiffIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** How long a document at a URL is retried (SPEC_FETCH_TIMEOUT_MS, read by the entry point). */
export interface DiffOptions {
  readonly fetchTimeoutMs?: number;
}

/** Runs the check on argv, writes the report, and resolves to the exit code. */
export async function runDiff(argv: readonly string[], io: DiffIo, options: DiffOptions = {}): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: {
      format: { type: 'string', default: 'text' },
      config: { type: 'string' },
      overlay: { type: 'string', multiple: true, default: [] },
      'old-overlay': { type: 'string', multiple: true, default: [] },
      'new-overlay': { type: 'string', multiple: true, default: [] },
    } }));
  } catch (error) {
    io.err(`diff: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [oldLocation, newLocation] = positionals;
  if (oldLocation === undefined || newLocation === undefined || positionals.length > 2) {
    io.err(`diff: give exactly two documents, the old and the new.\n${USAGE}\n`);
    return 2;
  }
  if (!(FORMATS as readonly string[]).includes(values.format)) {
    io.err(`diff: --format must be one of ${FORMATS.join(', ')} (got "${values.format}").\n`);
    return 2;
  }
  const log = { warn: (message: string) => io.err(`diff: warning: ${message}\n`), info: (message: string) => io.err(`diff: ${message}\n`) };
  const retry = options.fetchTimeoutMs === undefined ? undefined : { timeoutMs: options.fetchTimeoutMs };
  try {
    const [severities, before, after] = await Promise.all([
      values.config === undefined ? {} : loadSeverities(values.config),
      loadDocument(oldLocation, { overlays: [...values.overlay, ...values['old-overlay']], retry, log }),
      loadDocument(newLocation, { overlays: [...values.overlay, ...values['new-overlay']], retry, log }),
    ]);
    const result = diffDocuments(before, after, { severities });
    io.out(formatReport(values.format as Format, result, { old: oldLocation, new: newLocation }));
    return result.breaking ? 1 : 0;
  } catch (error) {
    if (!(error instanceof DiffInputError)) throw error;
    io.err(`diff: ${error.message}\n`);
    return 2;
  }
}
