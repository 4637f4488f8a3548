/**
 * The mock's published contract tells the truth: for every document of the corpus, the mock is
 * started, its own `GET /openapi.json` (the effective document, src/contract/effective.ts) is
 * fetched, and the contract runner is pointed at the mock with that document — the same budget,
 * seed and credentials as contract-tests/testing/corpus.ts. Every failure here is the product's
 * (the mock sending what its own contract does not declare, or the runner misjudging), so none is
 * allowed; a document with no operation the runner can reach is NOTHING TESTED.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openApi3 } from '../src/contract/openapi-version.js';
import { oasExamples } from '../src/testing/corpus.js';
import { startMock } from '../src/testing/mock-server.js';
import { TEST_JWT_SECRET } from '../src/testing/tokens.js';
import { runContract } from './contract.js';
import type { Failure } from './report.js';
import { contractSpecFrom } from './spec.js';

const MODULES = new URL('../node_modules/', import.meta.url);
const BUDGET_MS = 2_000;
const GRACE_MS = 20_000;
const LOAD_AND_RUN_TIMEOUT_MS = 60_000;
const VERDICT_NAMES = ['PASSED', 'FAILED', 'CRASHED', 'NOTHING TESTED'] as const;

const FILES = [
  ...oasExamples('2.0'), ...oasExamples('3.0'), ...oasExamples('3.1'),
  '@octokit/openapi/generated/api.github.com.json', '@octokit/openapi/generated/ghec.json',
];

const verdicts: string[] = [];
afterAll(() => {
  if (process.env.SHOW_CORPUS_VERDICTS === '1') console.log(verdicts.sort().join('\n'));
});

describe("the contract runner on the mock with the mock's own published document", () => {
  it.each(FILES)('%s: no failure', async (file) => {
    const source = readFileSync(new URL(file, MODULES), 'utf8');
    const document = await openApi3(source.trimStart().startsWith('{') ? JSON.parse(source) : parse(source));
    const mock = await startMock(document);
    try {
      const res = await mock.request('/openapi.json');
      expect(res.status).toBe(200);
      const published = (await res.json()) as Record<string, any>;
      const started = performance.now();
      const result = await runContract({
        excludeChecks: ['operation_tested'],
        baseUrl: mock.url, spec: contractSpecFrom(published), timeBudgetMs: BUDGET_MS, seed: 1, maxExamples: 5,
        jwtSecret: TEST_JWT_SECRET, basic: 'corpus:corpus', apiKey: 'corpus-key', write: () => {},
      });
      const elapsed = performance.now() - started;
      const failures = result.report?.failures ?? [];
      const c = result.counts;
      verdicts.push(`${file}\t${VERDICT_NAMES[result.exitCode]}\tfailures=${failures.length}\t${c ? `operations=${c.operations} tested=${c.tested} skipped=${c.skipped} failed=${c.failed} requests=${c.requests}` : ''}`);
      const show = (f: Failure) => `[${f.check}] ${f.operation}: ${f.message}\n  ${f.curl}`;
      expect(failures.map(show), `${file}: ${result.summary}`).toEqual([]);
      expect([0, 3]).toContain(result.exitCode);
      expect(elapsed).toBeLessThan(BUDGET_MS + GRACE_MS);
    } finally {
      await mock.close();
    }
  }, LOAD_AND_RUN_TIMEOUT_MS);
});
