/**
 * The property-based phase: for one operation, fast-check draws positive or negative requests
 * (seeded), sends each and runs the response checks. A failure is shrunk to the smallest request
 * that still fails, recorded, and the search goes on for the checks not yet broken. The phase
 * ends at its own deadline, inside draws too; a schema no request can be drawn from ends it with
 * that schema's location.
 */
import fc from 'fast-check';
import { negativeCases, positiveCases, type RequestCase } from './cases.js';
import type { CheckName } from './checks.js';
import { BudgetSpent, drawDeadline } from './draw.js';
import { requestFor, send, type Exchange, type SentRequest, type Target } from './http.js';
import { SchemaProblem } from './registry.js';
import type { Report } from './report.js';
import type { Operation } from './spec.js';

/** What one property phase needs. */
export interface PhaseContext {
  readonly target: Target;
  readonly report: Report;
  readonly seed: number;
  readonly maxExamples: number;
  /** Date.now() after which no new request starts (the phase's, or the stage's, slice of the budget). */
  readonly deadline: number;
}

/** The outcome of one phase, for the progress line. */
export interface PhaseOutcome {
  readonly examples: number;
  readonly failures: number;
  readonly skipped?: string;
  /** Set when no request at all could be drawn: the schema location and reason. */
  readonly blocked?: string;
}

const MAX_ROUNDS = 4;

/** A stable per-phase seed, so adding an operation does not change the others' draws. */
export function phaseSeed(seed: number, label: string): number {
  let hash = seed | 0;
  for (const ch of label) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return hash;
}

/** Milliseconds one request may take, never past the deadline by more than a second's grace. */
export const requestTimeout = (ctx: PhaseContext) => Math.max(1_000, Math.min(ctx.target.requestTimeoutMs ?? 10_000, ctx.deadline - Date.now() + 1_000));

/**
 * Sends within the phase's time. A request that timed out only because the slice was ending (its
 * timeout shorter than --request-timeout) is marked `cutShort`: the budget's doing, not a
 * transport error of the server.
 */
export async function sendWithin(ctx: PhaseContext, request: SentRequest): Promise<Exchange> {
  const timeout = requestTimeout(ctx);
  const x = await send(request, timeout);
  const cut = x.status === 0 && timeout < (ctx.target.requestTimeoutMs ?? 10_000) && x.transportError?.startsWith('no complete response') === true;
  return cut ? { ...x, cutShort: true } : x;
}

/** Runs the positive or negative phase for one operation. */
export async function propertyPhase(op: Operation, mode: 'positive' | 'negative', ctx: PhaseContext): Promise<PhaseOutcome> {
  let examples = 0;
  let failures = 0;
  drawDeadline(ctx.deadline);
  try {
    const arbitrary = mode === 'positive' ? positiveCases(op, ctx.deadline) : negativeCases(op, ctx.deadline);
    if (!arbitrary) return { examples: 0, failures: 0, skipped: 'nothing to break' };
    const skip = new Set<CheckName>();
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const remaining = ctx.deadline - Date.now();
      if (remaining <= 0) return { examples, failures, skipped: 'time slice spent' };
      const property = fc.asyncProperty(arbitrary, async (c: RequestCase) => {
        examples += 1;
        ctx.report.countTested(c);
        const x = await sendWithin(ctx, requestFor(ctx.target, c));
        return ctx.report.evaluate(c, x, skip).length === 0;
      });
      const result = await fc.check(property, {
        seed: phaseSeed(ctx.seed, `${op.operationId}:${mode}:${round}`),
        numRuns: ctx.maxExamples,
        plugins: [fc.interruptAfterTimeLimit(remaining)],
        endOnFailure: Date.now() >= ctx.deadline,
      });
      if (!result.failed || !result.counterexample) break;
      const [smallest] = result.counterexample as [RequestCase];
      const x = await sendWithin(ctx, requestFor(ctx.target, smallest));
      const found = ctx.report.evaluate(smallest, x, skip);
      if (found.length === 0) break;
      failures += ctx.report.record(found).length;
      for (const f of found) skip.add(f.check);
    }
    return { examples, failures };
  } catch (error) {
    if (error instanceof BudgetSpent) return { examples, failures, skipped: 'time slice spent' };
    if (error instanceof SchemaProblem) {
      return examples > 0 ? { examples, failures, skipped: `draws stopped at ${error.message}` } : { examples, failures, blocked: error.message };
    }
    throw error;
  } finally {
    drawDeadline(Number.POSITIVE_INFINITY);
  }
}
