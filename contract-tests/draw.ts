/**
 * Bounded draws: a filter that gives up after a fixed number of tries and a per-case cap on
 * tries, both checking the phase's deadline, so a schema no value can satisfy ends the phase
 * with a SchemaProblem naming it instead of spinning (fast-check's own filter never gives up).
 */
import fc from 'fast-check';
import { SchemaProblem } from './registry.js';

/** Thrown from inside a draw when the phase's time is up. */
export class BudgetSpent extends Error {
  constructor() {
    super('time budget spent while drawing');
  }
}

const TRIES_PER_FILTER = 40;
/** Filter tries one whole request may use, over every nested schema. */
export const TRIES_PER_CASE = 2_000;

const guard = { tries: 0, deadline: Number.POSITIVE_INFINITY, last: '' };

/** Sets the deadline every draw checks (Date.now() value; Infinity for none). */
export function drawDeadline(deadline: number): void {
  guard.deadline = deadline;
}

/** A value no schema accepts: what a branch that cannot be drawn yields, so an enclosing filter retries. */
export const IMPOSSIBLE = Symbol('impossible');

/** Notes why a branch could not be drawn (shown if the whole draw then fails). */
export function noteProblem(reason: string): void {
  guard.last = reason;
}

class Capped<T> extends fc.Arbitrary<T> {
  constructor(
    private readonly arb: fc.Arbitrary<T>,
    private readonly predicate: (value: T) => boolean,
    private readonly location: () => string,
  ) {
    super();
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    for (let i = 0; i < TRIES_PER_FILTER; i += 1) {
      if (Date.now() > guard.deadline) throw new BudgetSpent();
      guard.tries += 1;
      if (guard.tries > TRIES_PER_CASE) break;
      const value = this.arb.generate(mrng, biasFactor);
      if (this.predicate(value.value)) return value;
    }
    const why = guard.last ? ` (${guard.last})` : '';
    throw new SchemaProblem(this.location(), `no valid value found in ${Math.min(guard.tries, TRIES_PER_CASE)} draws${why}`);
  }

  canShrinkWithoutContext(value: unknown): value is T {
    return this.arb.canShrinkWithoutContext(value) && this.predicate(value);
  }

  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    if (Date.now() > guard.deadline) return fc.Stream.nil();
    return this.arb.shrink(value, context).filter((v) => Date.now() <= guard.deadline && this.predicate(v.value));
  }
}

/** `arb.filter(predicate)` that gives up with a SchemaProblem at `location` instead of spinning. */
export function cappedFilter<T>(arb: fc.Arbitrary<T>, predicate: (value: T) => boolean, location: () => string): fc.Arbitrary<T> {
  return new Capped(arb, predicate, location);
}

class PerCase<T> extends fc.Arbitrary<T> {
  constructor(
    private readonly arb: fc.Arbitrary<T>,
    private readonly deadline: number | undefined,
  ) {
    super();
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    // A whole case is drawn synchronously, so runs interleaved in one process each see their own deadline.
    if (this.deadline !== undefined) guard.deadline = this.deadline;
    guard.tries = 0;
    guard.last = '';
    return this.arb.generate(mrng, biasFactor);
  }

  canShrinkWithoutContext(value: unknown): value is T {
    return this.arb.canShrinkWithoutContext(value);
  }

  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    if (this.deadline !== undefined) guard.deadline = this.deadline;
    guard.tries = 0;
    return this.arb.shrink(value, context);
  }
}

/** Marks one whole request's draw: the per-case cap on tries starts again for each, under `deadline` when given. */
export function perCase<T>(arb: fc.Arbitrary<T>, deadline?: number): fc.Arbitrary<T> {
  return new PerCase(arb, deadline);
}

class Lazy<T> extends fc.Arbitrary<T> {
  private built: fc.Arbitrary<T> | undefined;

  constructor(private readonly build: () => fc.Arbitrary<T>) {
    super();
  }

  private get arb(): fc.Arbitrary<T> {
    this.built ??= this.build();
    return this.built;
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    return this.arb.generate(mrng, biasFactor);
  }

  canShrinkWithoutContext(value: unknown): value is T {
    return this.arb.canShrinkWithoutContext(value);
  }

  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    return this.arb.shrink(value, context);
  }
}

/** An arbitrary built on first use (schemas are large and recursive: only what is drawn is built). */
export function lazy<T>(build: () => fc.Arbitrary<T>): fc.Arbitrary<T> {
  return new Lazy(build);
}
