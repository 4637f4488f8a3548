/**
 * The runner on the mock corpus: every published document of src/mock's corpus suites (the
 * @readme/oas-examples collection, GitHub's REST description) served by the real mock, and the
 * contract runner pointed at it with a small time budget. Whatever the document, the runner must
 * give a verdict — 0 passed or 1 contract failures, never 2 (the runner itself failed) — within a
 * bounded time. The checks that failed are written, per document, to
 * contract-tests/corpus-verdicts.json when UPDATE_CORPUS_VERDICTS=1, for a reviewer to read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it, afterAll } from 'vitest';
import { parse } from 'yaml';
import { openApi3 } from '../../src/contract/openapi-version.js';
import { startMock } from '../../src/testing/mock-server.js';
import { TEST_JWT_SECRET } from '../../src/testing/tokens.js';
import { runContract } from '../contract.js';

const MODULES = new URL('../../node_modules/', import.meta.url);
const VERDICTS = new URL('../corpus-verdicts.json', import.meta.url);
/** The runner's budget per document; a verdict must come within it plus the grace below. */
const BUDGET_MS = 2_000;
const GRACE_MS = 20_000;

/** One document's verdict: the exit code and the checks that failed, with how many operations each. */
interface Verdict {
  readonly exitCode: number;
  readonly failedChecks: Readonly<Record<string, number>>;
}

/** One vitest suite running the contract runner against the mock of each of `files` (paths under node_modules). */
export function runnerCorpusSuite(title: string, files: readonly string[]): void {
  const found: Record<string, Verdict> = {};
  afterAll(() => {
    if (process.env.UPDATE_CORPUS_VERDICTS !== '1') return;
    const all = JSON.parse(readFileSync(VERDICTS, 'utf8')) as Record<string, Verdict>;
    writeFileSync(VERDICTS, `${JSON.stringify(Object.fromEntries(Object.entries({ ...all, ...found }).sort(([a], [b]) => a.localeCompare(b))), null, 2)}\n`);
  });
  describe(title, () => {
    it.each(files)('%s gets a verdict (exit 0 or 1) in bounded time', async (file) => {
      const source = readFileSync(new URL(file, MODULES), 'utf8');
      const document = await openApi3(source.trimStart().startsWith('{') ? JSON.parse(source) : parse(source));
      const mock = await startMock(structuredClone(document));
      try {
        const started = performance.now();
        const result = await runContract({ baseUrl: mock.url, spec: document, timeBudgetMs: BUDGET_MS, seed: 1, maxExamples: 5, jwtSecret: TEST_JWT_SECRET, write: () => {} });
        const elapsed = performance.now() - started;
        const failedChecks: Record<string, number> = {};
        for (const failure of result.report?.failures ?? []) failedChecks[failure.check] = (failedChecks[failure.check] ?? 0) + 1;
        found[file] = { exitCode: result.exitCode, failedChecks };
        expect(result.exitCode, `${file}: ${result.summary}`).not.toBe(2);
        expect(elapsed).toBeLessThan(BUDGET_MS + GRACE_MS);
      } finally {
        await mock.close();
      }
    });
  });
}
