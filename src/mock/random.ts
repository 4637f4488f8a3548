/**
 * A small seeded pseudo-random generator (mulberry32), so the mock's generated values are the
 * same for the same seed: snapshots of mock answers stay stable, and `Prefer: dynamic=true` varies
 * them by request count rather than by Math.random.
 */

/** Seeded choices; every method advances the same sequence. */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** An integer from `min` to `max`, both included. */
  int(min: number, max: number): number;
  /** One of `items` (which must not be empty). */
  pick<T>(items: readonly T[]): T;
}

/** A generator whose sequence depends only on `seed`. */
export function seeded(seed: number): Random {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => (max <= min ? min : min + Math.floor(next() * (max - min + 1)));
  return { next, int, pick: (items) => items[int(0, items.length - 1)]! };
}
