/**
 * One contract-test run against a base URL: the multi-request checks first (bounded by count),
 * then the property-based phases per operation until the examples or the time budget run out.
 */
import type { Target } from './http.js';
import { propertyPhase, type PhaseContext } from './property.js';
import { Report, type Writer } from './report.js';
import type { ContractSpec } from './spec.js';
import { ignoredAuth, linkChains, missingRequiredHeaders, unsupportedMethods } from './stateful.js';

/** Everything a run is configured with. */
export interface RunOptions extends Target {
  readonly seed: number;
  /** Requests drawn per operation and mode before shrinking. */
  readonly maxExamples: number;
  /** Wall-clock budget for the whole run. */
  readonly timeBudgetMs: number;
  /** How many create → read → delete → read chains each linked operation gets. */
  readonly chains?: number;
  readonly write?: Writer;
}

/** Runs every check against the target and returns the report. */
export async function runContractTests(spec: ContractSpec, options: RunOptions): Promise<Report> {
  const write = options.write ?? (() => undefined);
  const started = Date.now();
  const report = new Report(spec, options, write);
  const ctx: PhaseContext = {
    target: options,
    report,
    seed: options.seed,
    maxExamples: options.maxExamples,
    deadline: started + options.timeBudgetMs,
  };
  write(`Contract tests against ${options.baseUrl}: ${spec.operations.length} operations, seed ${options.seed}, ` +
    `${options.maxExamples} examples per operation and mode, budget ${Math.round(options.timeBudgetMs / 1000)}s.`);
  const stages: [string, () => Promise<void>][] = [
    ['ignored_auth', () => ignoredAuth(spec, ctx)],
    ['unsupported_method', () => unsupportedMethods(spec, ctx)],
    ['missing_required_header', () => missingRequiredHeaders(spec, ctx)],
    ['links', () => linkChains(spec, ctx, options.chains ?? 3)],
  ];
  for (const [name, stage] of stages) {
    const before = report.failures.length;
    await stage();
    write(`  ${report.failures.length === before ? '✓' : '✗'} ${name}`);
  }
  for (const op of spec.operations) {
    for (const mode of ['positive', 'negative'] as const) {
      const t0 = Date.now();
      const outcome = await propertyPhase(op, mode, ctx);
      const mark = outcome.failures > 0 ? '✗' : outcome.skipped ? '-' : '✓';
      const note = outcome.skipped ? ` (${outcome.skipped})` : '';
      write(`  ${mark} ${op.operationId} ${mode}: ${outcome.examples} requests, ${((Date.now() - t0) / 1000).toFixed(1)}s${note}`);
    }
  }
  write(report.summary(Date.now() - started));
  return report;
}
