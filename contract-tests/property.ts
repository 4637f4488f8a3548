/**
 * The property-based phase: for one operation, fast-check draws positive or negative requests
 * (seeded), sends each and runs the response checks. A failure is shrunk to the smallest request
 * that still fails, recorded, and the search goes on for the checks not yet broken.
 */
import fc from 'fast-check';
import { negativeCases, positiveCases, type RequestCase } from './cases.js';
import type { CheckName } from './checks.js';
import { requestFor, send, type Target } from './http.js';
import type { Report } from './report.js';
import type { Operation } from './spec.js';

/** What one property phase needs. */
export interface PhaseContext {
  readonly target: Target;
  readonly report: Report;
  readonly seed: number;
  readonly maxExamples: number;
  /** Date.now() after which no new phase starts and running ones stop. */
  readonly deadline: number;
}

/** The outcome of one phase, for the progress line. */
export interface PhaseOutcome {
  readonly examples: number;
  readonly failures: number;
  readonly skipped?: string;
}

const MAX_ROUNDS = 4;

/** A stable per-phase seed, so adding an operation does not change the others' draws. */
export function phaseSeed(seed: number, label: string): number {
  let hash = seed | 0;
  for (const ch of label) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return hash;
}

/** Runs the positive or negative phase for one operation. */
export async function propertyPhase(op: Operation, mode: 'positive' | 'negative', ctx: PhaseContext): Promise<PhaseOutcome> {
  const arbitrary = mode === 'positive' ? positiveCases(op) : negativeCases(op);
  if (!arbitrary) return { examples: 0, failures: 0, skipped: 'nothing to break' };
  const skip = new Set<CheckName>();
  let examples = 0;
  let failures = 0;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const remaining = ctx.deadline - Date.now();
    if (remaining <= 0) return { examples, failures, skipped: 'time budget spent' };
    const property = fc.asyncProperty(arbitrary, async (c: RequestCase) => {
      examples += 1;
      const x = await send(requestFor(ctx.target, c));
      return ctx.report.evaluate(c, x, skip).length === 0;
    });
    const result = await fc.check(property, {
      seed: phaseSeed(ctx.seed, `${op.operationId}:${mode}:${round}`),
      numRuns: ctx.maxExamples,
      plugins: [fc.interruptAfterTimeLimit(remaining)],
    });
    if (!result.failed || !result.counterexample) break;
    const [smallest] = result.counterexample as [RequestCase];
    const x = await send(requestFor(ctx.target, smallest));
    const found = ctx.report.evaluate(smallest, x, skip);
    if (found.length === 0) break;
    failures += ctx.report.record(found).length;
    for (const f of found) skip.add(f.check);
  }
  return { examples, failures };
}
