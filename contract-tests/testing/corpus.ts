/**
 * The runner on the mock corpus: every published document of src/mock's corpus suites (the
 * @readme/oas-examples collection, GitHub's REST description) served by the real mock, and the
 * contract runner pointed at it with a small time budget and every kind of credential. Whatever
 * the document, the runner must give a verdict (never 2, the runner itself failed) within a
 * bounded time, and every failure it reports must have a cause in the document, its own omission
 * or inconsistency, found by contract-tests/testing/corpus-causes.ts: a failure without one (the
 * product's fault) fails the test. contract-tests/corpus-verdicts.json lists, per document, the
 * verdict and each failure a recorded run saw with that cause, for review; `UPDATE_CORPUS_VERDICTS=1`
 * records a run into it (a failure no cause explains is never written, and still fails).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it, afterAll } from 'vitest';
import { parse } from 'yaml';
import { openApi3 } from '../../src/contract/openapi-version.js';
import { startMock } from '../../src/testing/mock-server.js';
import { TEST_JWT_SECRET } from '../../src/testing/tokens.js';
import { runContract } from '../contract.js';
import type { Failure } from '../report.js';
import { contractSpecFrom } from '../spec.js';
import { causeOf } from './corpus-causes.js';

const MODULES = new URL('../../node_modules/', import.meta.url);
const VERDICTS = new URL('../corpus-verdicts.json', import.meta.url);
/** The runner's budget per document; a verdict must come within it plus the grace below. */
const BUDGET_MS = 2_000;
const GRACE_MS = 20_000;
/** What one document may take in all, loading GitHub's 13 MB description twice (mock and runner) on a loaded 2-core machine included. */
const LOAD_AND_RUN_TIMEOUT_MS = 60_000;
const VERDICT_NAMES = ['PASSED', 'FAILED', 'CRASHED', 'NOTHING TESTED'] as const;

/** One failure the document explains: the check, the operation and the cause, quoted from the document. */
export interface ExplainedFailure {
  readonly check: string;
  readonly operation: string;
  readonly cause: string;
}

/** One document's expected verdict and the failures it explains. */
export interface Verdict {
  readonly verdict: (typeof VERDICT_NAMES)[number];
  /** Some operations got no request in the recorded run, so later runs may find failures it did not list. */
  readonly partial?: boolean;
  readonly failures: readonly ExplainedFailure[];
}

/** One vitest suite running the contract runner against the mock of each of `files` (paths under node_modules). */
export function runnerCorpusSuite(title: string, files: readonly string[]): void {
  const expected = JSON.parse(readFileSync(VERDICTS, 'utf8')) as Record<string, Verdict>;
  const found: Record<string, Verdict> = {};
  afterAll(() => {
    if (process.env.UPDATE_CORPUS_VERDICTS !== '1') return;
    const all = JSON.parse(readFileSync(VERDICTS, 'utf8')) as Record<string, Verdict>;
    writeFileSync(VERDICTS, `${JSON.stringify(Object.fromEntries(Object.entries({ ...all, ...found }).sort(([a], [b]) => a.localeCompare(b))), null, 2)}\n`);
  });
  describe(title, () => {
    it.each(files)('%s gets a verdict in bounded time, each failure explained by the document', async (file) => {
      const source = readFileSync(new URL(file, MODULES), 'utf8');
      const document = await openApi3(source.trimStart().startsWith('{') ? JSON.parse(source) : parse(source));
      const mock = await startMock(structuredClone(document));
      try {
        const spec = contractSpecFrom(document);
        const started = performance.now();
        const result = await runContract({
          // operation_tested is left out: which operations a 2 s budget reaches depends on the machine's load.
          excludeChecks: ['operation_tested'],
          baseUrl: mock.url, spec, timeBudgetMs: BUDGET_MS, seed: 1, maxExamples: 5,
          jwtSecret: TEST_JWT_SECRET, basic: 'corpus:corpus', apiKey: 'corpus-key', write: () => {},
        });
        const elapsed = performance.now() - started;
        const failures = result.report?.failures ?? [];
        const listed = expected[file]?.failures ?? [];
        const explained = failures.map((f) => ({ failure: f, cause: causeOf(spec, f) }));
        const counts = result.counts;
        // A run that left operations without a request (a large document, a loaded machine) lists what it saw: later runs may see more.
        const partial = counts !== undefined && counts.tested + counts.skipped < counts.operations;
        // Which failures a 2 s run finds varies a little with the machine's load: the list keeps every one a recorded run saw.
        const seen = explained.filter((e) => e.cause !== undefined).map((e) => ({ check: e.failure.check, operation: e.failure.operation, cause: e.cause! }));
        const kept = listed.filter((l) => !seen.some((f) => f.check === l.check && f.operation === l.operation));
        found[file] = {
          verdict: VERDICT_NAMES[result.exitCode],
          ...(partial ? { partial: true } : {}),
          failures: [...kept, ...seen].sort((a, b) => `${a.operation} ${a.check}`.localeCompare(`${b.operation} ${b.check}`)),
        };
        expect(result.exitCode, `${file}: ${result.summary}`).not.toBe(2);
        const show = (f: Failure) => `[${f.check}] ${f.operation}: ${f.message}\n  ${f.curl}`;
        expect(explained.filter((e) => e.cause === undefined).map((e) => show(e.failure)), `${file}: failures no cause in the document explains (the product's fault)`).toEqual([]);
        expect(elapsed).toBeLessThan(BUDGET_MS + GRACE_MS);
      } finally {
        await mock.close();
      }
    }, LOAD_AND_RUN_TIMEOUT_MS);
  });
}
