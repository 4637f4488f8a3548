/**
 * Collects failures (one per check and operation, the first and smallest found) and prints
 * progress and the final summary, each failure with the curl command that reproduces it.
 */
import type { RequestCase } from './cases.js';
import { RESPONSE_CHECKS, type CheckName } from './checks.js';
import { toCurl, type Exchange, type Target } from './http.js';
import type { ContractSpec } from './spec.js';

/** One broken check. */
export interface Failure {
  readonly check: CheckName;
  /** `operationId (METHOD /path)`. */
  readonly operation: string;
  readonly message: string;
  readonly curl: string;
}

/** Where progress lines go. */
export type Writer = (line: string) => void;

/** The failures of one run and the counters shown in the summary. */
export class Report {
  readonly failures: Failure[] = [];
  requests = 0;
  private readonly seen = new Set<string>();

  constructor(
    private readonly spec: ContractSpec,
    private readonly target: Target,
    private readonly write: Writer,
  ) {}

  /** The response-check failures of one exchange, not yet recorded. */
  evaluate(c: RequestCase, x: Exchange, skip: ReadonlySet<CheckName> = new Set()): Failure[] {
    this.requests += 1;
    const out: Failure[] = [];
    for (const [name, check] of Object.entries(RESPONSE_CHECKS) as [CheckName, NonNullable<(typeof RESPONSE_CHECKS)[CheckName]>][]) {
      if (skip.has(name)) continue;
      const message = check(this.spec, c, x);
      if (message !== undefined) out.push(this.failure(name, c, x, message));
    }
    return out;
  }

  /** A failure of `check` shown with the exchange's curl. */
  failure(check: CheckName, c: RequestCase, x: Exchange, message: string): Failure {
    const op = c.operation;
    return { check, operation: `${op.operationId} (${op.method} ${op.path})`, message, curl: toCurl(x.request, this.target.token) };
  }

  /** Records failures, keeping the first per check and operation; returns the new ones. */
  record(failures: readonly Failure[]): Failure[] {
    const fresh = failures.filter((f) => !this.seen.has(`${f.check}|${f.operation}`));
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

  /** The summary printed at the end of a run. */
  summary(elapsedMs: number): string {
    const lines = [''];
    if (this.failures.length === 0) {
      lines.push(`All checks passed: ${this.requests} requests in ${(elapsedMs / 1000).toFixed(1)}s.`);
      return lines.join('\n');
    }
    lines.push(`${this.failures.length} failure(s) in ${this.requests} requests (${(elapsedMs / 1000).toFixed(1)}s):`);
    for (const f of this.failures) {
      lines.push('', `[${f.check}] ${f.operation}`, `  ${f.message}`, `  reproduce: ${f.curl}`);
    }
    return lines.join('\n');
  }
}
