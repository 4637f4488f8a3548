/**
 * Strings that match a schema's `pattern` (an ECMA-262 regex, unanchored as JSON Schema reads
 * it), made by randexp with the mock's seeded generator, each checked with the same RegExp the
 * validator builds (`u` flag, retried without it) and against minLength/maxLength. randexp is the
 * regex-to-string generator json-schema-faker and Prism use; see docs/contract.md.
 */
import randexpModule from 'randexp';
import type { Random } from './random.js';

// randexp is CommonJS whose types declare an ES default export: Node gives the class itself.
type RandExpClass = typeof randexpModule.default;
const RandExp = ((randexpModule as unknown as { default?: RandExpClass }).default ?? randexpModule) as RandExpClass;

/** How many strings randexp makes before giving up on one that also fits the length bounds. */
const ATTEMPTS = 12;

function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

/** Length bounds a generated string must fit. */
export interface LengthBounds {
  readonly min: number;
  readonly max: number;
}

const fits = (value: string, regex: RegExp, { min, max }: LengthBounds) => value.length >= min && value.length <= max && regex.test(value);

/**
 * The first of `preferred` that matches `pattern` within `bounds`, else one randexp makes, else
 * undefined (a pattern randexp cannot read or whose strings never fit the bounds).
 */
export function stringMatching(pattern: string, random: Random, bounds: LengthBounds, preferred: readonly (string | undefined)[] = []): string | undefined {
  const regex = compile(pattern);
  if (!regex) return undefined;
  for (const candidate of preferred) if (candidate !== undefined && fits(candidate, regex, bounds)) return candidate;
  let generator: InstanceType<RandExpClass>;
  try {
    generator = new RandExp(regex.source, regex.ignoreCase ? 'i' : '');
  } catch {
    return undefined;
  }
  generator.randInt = (from: number, to: number) => random.int(from, to);
  // An unbounded repetition (`+`, `*`, `{n,}`) repeats a few times (enough for minLength), not randexp's default 100.
  generator.max = Math.max(1, Math.min(bounds.max, Math.max(8, bounds.min)));
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let value: string;
    try {
      value = generator.gen();
    } catch {
      return undefined;
    }
    if (fits(value, regex, bounds)) return value;
  }
  return undefined;
}
