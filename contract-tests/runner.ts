/**
 * One contract-test run against a base URL. The time budget is shared: the multi-request checks
 * get at most a quarter of it, then each operation gets its slice of what is left (recomputed as
 * each one finishes, so time one does not use goes to the next), and no phase runs past its slice.
 * An operation no request can be drawn for is skipped with the location that blocked it, and so is
 * a secured one the run has no credential for (after ignored_auth checked it refuses a request
 * without); one that got no request fails operation_tested; an error inside one operation is
 * reported and the run goes on.
 */
import type { CheckName } from './checks.js';
import { callable, missingCredentials, type Target } from './http.js';
import { propertyPhase, type PhaseContext } from './property.js';
import { Report, type UndeclaredErrors, type Writer } from './report.js';
import type { ContractSpec, Operation } from './spec.js';
import { ignoredAuth, linkChains, missingRequiredHeaders, unsupportedMethods } from './stateful.js';

/** Everything a run is configured with. */
export interface RunOptions extends Target {
  readonly seed: number;
  /** Requests drawn per operation and mode before shrinking. */
  readonly maxExamples: number;
  /** Wall-clock budget for the whole run (a run may end up to one request timeout later). */
  readonly timeBudgetMs: number;
  /** How many create → read → delete → read chains each linked operation gets. */
  readonly chains?: number;
  /** Undeclared 4xx answers to requests the spec makes invalid: failures (default) or warnings. */
  readonly undeclaredErrors?: UndeclaredErrors;
  /** Checks not run at all (for servers that are not specgate: cors_on_every_response, uniform_error_body). */
  readonly excludeChecks?: readonly CheckName[];
  readonly write?: Writer;
}

/** Share of the budget the multi-request stages may use together. */
const STAGE_SHARE = 0.25;
/** Share of an operation's slice its positive phase may use; the negative phase gets the rest. */
const POSITIVE_SHARE = 0.6;

const label = (op: Operation) => `${op.operationId} (${op.method} ${op.path})`;

/** Runs every check against the target and returns the report. */
export async function runContractTests(spec: ContractSpec, options: RunOptions): Promise<Report> {
  const write = options.write ?? (() => undefined);
  const started = Date.now();
  const end = started + options.timeBudgetMs;
  const report = new Report(spec, options, write, options.undeclaredErrors ?? 'fail', new Set(options.excludeChecks ?? []));
  const context = (deadline: number): PhaseContext => ({ target: options, report, seed: options.seed, maxExamples: options.maxExamples, deadline });
  write(`Contract tests against ${options.baseUrl}: ${spec.operations.length} operations, seed ${options.seed}, ` +
    `${options.maxExamples} examples per operation and mode, budget ${Math.round(options.timeBudgetMs / 1000)}s.`);
  if (spec.registry.droppedIds !== undefined) report.warn('(document)', `the document's schemas are registered without their $ids: ${spec.registry.droppedIds}`);
  for (const op of spec.operations) for (const note of op.notes) report.warn(label(op), note);
  const stagesEnd = started + options.timeBudgetMs * STAGE_SHARE;
  const stages: [string, (ctx: PhaseContext) => Promise<void>][] = [
    ['ignored_auth', (ctx) => ignoredAuth(spec, ctx)],
    ['unsupported_method', (ctx) => unsupportedMethods(spec, ctx)],
    ['missing_required_header', (ctx) => missingRequiredHeaders(spec, ctx)],
    ['links', (ctx) => linkChains(spec, ctx, options.chains ?? 3)],
  ];
  for (const [index, [name, stage]] of stages.entries()) {
    const before = report.failures.length;
    // Each stage may use its share of what is left of the stages' time.
    const deadline = Date.now() + (stagesEnd - Date.now()) / (stages.length - index);
    try {
      await stage(context(deadline));
    } catch (error) {
      report.problem('(run)', name, error);
    }
    const late = Date.now() >= deadline ? ' (stopped at its time share)' : '';
    write(`  ${report.failures.length === before ? '✓' : '✗'} ${name}${late}`);
  }
  const operations = spec.operations;
  for (const [index, op] of operations.entries()) {
    if (op.unusable) {
      report.skip(label(op), op.unusable);
      write(`  - ${op.operationId}: SKIPPED (${op.unusable})`);
      continue;
    }
    if (!callable(op, options)) {
      const why = missingCredentials(op, options);
      report.skip(label(op), why);
      write(`  - ${op.operationId}: SKIPPED (${why})`);
      continue;
    }
    const opStart = Date.now();
    const slice = Math.max(0, (end - opStart) / (operations.length - index));
    report.slices.set(label(op), slice);
    for (const mode of ['positive', 'negative'] as const) {
      const t0 = Date.now();
      const deadline = mode === 'positive' ? opStart + slice * POSITIVE_SHARE : opStart + slice;
      try {
        const outcome = await propertyPhase(op, mode, context(deadline));
        if (outcome.blocked) {
          if (mode === 'positive') {
            report.skip(label(op), outcome.blocked);
            write(`  - ${op.operationId}: SKIPPED, no request can be drawn: ${outcome.blocked}`);
            break;
          }
          report.warn(label(op), `no negative request can be drawn: ${outcome.blocked}`);
        }
        const mark = outcome.failures > 0 ? '✗' : outcome.skipped || outcome.blocked ? '-' : '✓';
        const note = outcome.skipped ? ` (${outcome.skipped})` : '';
        write(`  ${mark} ${op.operationId} ${mode}: ${outcome.examples} requests, ${((Date.now() - t0) / 1000).toFixed(1)}s${note}`);
      } catch (error) {
        report.problem(label(op), `${mode} phase`, error);
      }
    }
  }
  report.failUntested();
  write(report.summary(Date.now() - started));
  return report;
}
