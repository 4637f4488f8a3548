/**
 * Collects what a run found: failures (one per check and operation, the first and smallest
 * found), warnings, skipped operations and the runner's own errors, per operation; prints
 * progress and the final summary, each failure with the curl command that reproduces it.
 */
import type { RequestCase } from './cases.js';
import { declaredFor, RESPONSE_CHECKS, type CheckName } from './checks.js';
import { secretsOf, toCurl, type Exchange, type Target } from './http.js';
import { SchemaProblem } from './registry.js';
import type { ContractSpec } from './spec.js';

/** One broken check. */
export interface Failure {
  readonly check: CheckName;
  /** `operationId (METHOD /path)`. */
  readonly operation: string;
  readonly message: string;
  readonly curl: string;
  /** The status the server answered (0: none came); absent for a failure of the run (operation_tested). */
  readonly status?: number;
  /** What the request broke on purpose, for a request the spec itself makes invalid. */
  readonly negative?: string;
  /** The undeclared 4xx answered to a request the spec itself makes invalid (status_code_conformance only). */
  readonly undeclaredError?: { readonly operationId: string; readonly status: number };
}

/** Something noted that does not fail the run (a check that could not run, an undeclared error in warn mode). */
export interface Note {
  readonly operation: string;
  readonly message: string;
}

/** Where progress lines go. */
export type Writer = (line: string) => void;

/** How undeclared 4xx answers to invalid requests count: failures (default, as Schemathesis) or warnings. */
export type UndeclaredErrors = 'fail' | 'warn';

/** The counts in the summary line. */
export interface Summary {
  readonly operations: number;
  readonly tested: number;
  readonly skipped: number;
  readonly failed: number;
  readonly requests: number;
  readonly failures: number;
  readonly warnings: number;
  readonly errors: number;
}

const label = (op: { operationId: string; method: string; path: string }) => `${op.operationId} (${op.method} ${op.path})`;

/** The failures of one run and the counters shown in the summary. */
export class Report {
  readonly failures: Failure[] = [];
  readonly warnings: Note[] = [];
  /** Internal errors of the runner (a check that threw, a phase that crashed): the run exits 2. */
  readonly errors: Note[] = [];
  /** Operations no request could be generated for: operation label → the location that blocked it. */
  readonly skipped = new Map<string, string>();
  /** Requests each operation got from the property phases (what "tested" means). */
  readonly tested = new Map<string, number>();
  /** The milliseconds of budget each operation was given (for the operation_tested message). */
  readonly slices = new Map<string, number>();
  requests = 0;
  private readonly seen = new Set<string>();

  constructor(
    private readonly spec: ContractSpec,
    private readonly target: Target,
    private readonly write: Writer,
    private readonly undeclaredErrors: UndeclaredErrors = 'fail',
    private readonly excluded: ReadonlySet<CheckName> = new Set(),
  ) {}

  /** The response-check failures of one exchange, not yet recorded; a check that throws is reported, not fatal. */
  evaluate(c: RequestCase, x: Exchange, skip: ReadonlySet<CheckName> = new Set()): Failure[] {
    this.requests += 1;
    if (x.cutShort) {
      this.warn(label(c.operation), 'a request was cut short by the end of its time share: no verdict on it (raise --time-budget)', `cut|${label(c.operation)}`);
      return [];
    }
    const out: Failure[] = [];
    for (const [name, check] of Object.entries(RESPONSE_CHECKS) as [CheckName, NonNullable<(typeof RESPONSE_CHECKS)[CheckName]>][]) {
      if (skip.has(name) || this.excluded.has(name)) continue;
      if (x.status === 0 && name !== 'transport_error') continue;
      let message: string | undefined;
      try {
        message = check(this.spec, c, x);
      } catch (error) {
        this.problem(label(c.operation), name, error);
        continue;
      }
      if (message === undefined) continue;
      if (name === 'status_code_conformance' && c.negative && x.status >= 400 && x.status < 500 && !declaredFor(c, x.status)) {
        const fix = `declare ${x.status} on ${c.operation.operationId}`;
        const full = `${message}; the server answered it to a request the spec itself makes invalid (${c.negative}): ${fix}`;
        if (this.undeclaredErrors === 'warn') {
          this.warn(label(c.operation), `status_code_conformance: ${full}`, `undeclared|${label(c.operation)}|${x.status}`);
          continue;
        }
        out.push({ ...this.failure(name, c, x, full), undeclaredError: { operationId: c.operation.operationId, status: x.status } });
        continue;
      }
      out.push(this.failure(name, c, x, message));
    }
    return out;
  }

  /** Records what a check or phase threw: a schema the runner cannot use is a warning, anything else an internal error. */
  problem(operation: string, where: string, error: unknown): void {
    if (error instanceof SchemaProblem) {
      this.warn(operation, `${where} not checked: ${error.message}`);
      return;
    }
    const key = `error|${operation}|${where}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const message = `${where}: internal error: ${(error as Error)?.message ?? String(error)}`;
    this.errors.push({ operation, message });
    this.write(`    ! ${operation} ${message}`);
  }

  /** Records a warning once (per `key`, by default per message). */
  warn(operation: string, message: string, key = `warn|${operation}|${message}`): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.warnings.push({ operation, message });
    this.write(`    ⚠ ${message}`);
  }

  /** Counts a property-phase request for its operation. */
  countTested(c: RequestCase): void {
    const key = label(c.operation);
    this.tested.set(key, (this.tested.get(key) ?? 0) + 1);
  }

  /** Marks an operation as skipped, with the schema location and reason that blocked it. */
  skip(operation: string, why: string): void {
    if (!this.skipped.has(operation)) this.skipped.set(operation, why);
  }

  /** A failure of `check` shown with the exchange's curl. */
  failure(check: CheckName, c: RequestCase, x: Exchange, message: string): Failure {
    return { check, operation: label(c.operation), message, curl: toCurl(x.request, secretsOf(this.target)), status: x.status, ...(c.negative ? { negative: c.negative } : {}) };
  }

  /** Records failures, keeping the first per check and operation; returns the new ones. */
  record(failures: readonly Failure[]): Failure[] {
    const fresh = failures.filter((f) => !this.excluded.has(f.check) && !this.seen.has(`${f.check}|${f.operation}`));
    for (const f of fresh) {
      this.seen.add(`${f.check}|${f.operation}`);
      this.failures.push(f);
      this.write(`    ✗ ${f.check}: ${f.message}`);
    }
    return fresh;
  }

  /** Sends nothing: evaluates and records in one go. */
  observe(c: RequestCase, x: Exchange, extra: readonly Failure[] = []): Failure[] {
    return this.record([...this.evaluate(c, x), ...extra]);
  }

  /** Fails every operation that got no request and was not skipped (a run must never pass having tested nothing). */
  failUntested(): void {
    if (this.excluded.has('operation_tested')) return;
    for (const op of this.spec.operations) {
      const key = label(op);
      if (this.skipped.has(key) || (this.tested.get(key) ?? 0) > 0 || this.seen.has(`operation_tested|${key}`)) continue;
      this.seen.add(`operation_tested|${key}`);
      const slice = this.slices.get(key);
      const why = slice === undefined || slice <= 0 ? 'the time budget ran out before its turn' : `its ${(slice / 1000).toFixed(2)}s share of the time budget ended before the first request was drawn and answered`;
      const f: Failure = { check: 'operation_tested', operation: key, message: `0 requests: ${why} (raise --time-budget or lower --max-examples)`, curl: '' };
      this.failures.push(f);
      this.write(`    ✗ operation_tested: ${key}: ${f.message}`);
    }
  }

  /** The counts of the summary line. */
  counts(): Summary {
    const failedOps = new Set(this.failures.map((f) => f.operation));
    const skipped = this.spec.operations.filter((op) => this.skipped.has(label(op))).length;
    const tested = this.spec.operations.filter((op) => (this.tested.get(label(op)) ?? 0) > 0).length;
    return {
      operations: this.spec.operations.length,
      tested,
      skipped,
      failed: this.spec.operations.filter((op) => failedOps.has(label(op))).length,
      requests: this.requests,
      failures: this.failures.length,
      warnings: this.warnings.length,
      errors: this.errors.length,
    };
  }

  /** 0 passed (at least one operation tested, none failed), 1 contract failures, 2 the runner itself failed (an internal error anywhere), 3 nothing was tested. */
  exitCode(): 0 | 1 | 2 | 3 {
    return this.errors.length > 0 ? 2 : this.failures.length > 0 ? 1 : this.counts().tested === 0 ? 3 : 0;
  }

  /** The summary printed at the end of a run. */
  summary(elapsedMs: number): string {
    const n = this.counts();
    const lines = [''];
    for (const f of this.failures) {
      lines.push(`[${f.check}] ${f.operation}`, `  ${f.message}`, ...(f.curl ? [`  reproduce: ${f.curl}`] : []), '');
    }
    const fixes = new Map<string, Set<number>>();
    for (const f of this.failures) if (f.undeclaredError) fixes.set(f.undeclaredError.operationId, (fixes.get(f.undeclaredError.operationId) ?? new Set()).add(f.undeclaredError.status));
    if (fixes.size > 0) {
      lines.push('Undeclared error statuses answered to requests the spec itself makes invalid (declare them, or run with --undeclared-errors warn):');
      for (const [id, statuses] of fixes) lines.push(`  declare ${[...statuses].sort().join(', ')} on ${id}`);
      lines.push('');
    }
    for (const [op, why] of this.skipped) lines.push(`SKIPPED ${op}: ${why}`);
    for (const w of this.warnings) lines.push(`WARNING ${w.operation}: ${w.message}`);
    for (const e of this.errors) lines.push(`RUNNER ERROR ${e.operation}: ${e.message}`);
    const verdict =
      this.errors.length > 0 ? 'Runner error' : this.failures.length > 0 ? `${n.failures} failure(s)` : n.tested === 0 ? 'Nothing was tested (see SKIPPED above)' : 'All checks passed';
    lines.push(
      `${verdict}: ${n.operations} operations: ${n.tested} tested, ${n.skipped} skipped, ${n.failed} failed; ` +
        `${n.requests} requests, ${n.warnings} warning(s), ${n.errors} runner error(s) in ${(elapsedMs / 1000).toFixed(1)}s.`,
    );
    return lines.join('\n');
  }
}
