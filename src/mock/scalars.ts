/**
 * Strings and numbers for one schema: every keyword request validation checks (format, pattern,
 * minLength/maxLength, minimum/maximum in both their 3.0 and 3.1 forms, multipleOf), with values
 * made plausible by format and by property name (src/mock/plausible.ts).
 */
import { formatValue, numberRangeForName, stringForName, word } from './plausible.js';
import { stringMatching } from './pattern.js';
import type { Random } from './random.js';

type Schema = Record<string, any>;

/** The schema's bounds, with `exclusiveMinimum`/`exclusiveMaximum` read as numbers (3.1) or flags (3.0). */
function bounds(schema: Schema, integer: boolean): [number, number] {
  const step = integer ? 1 : 1e-6;
  let min = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
  let max = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
  if (schema.exclusiveMinimum === true) min += step;
  if (schema.exclusiveMaximum === true) max -= step;
  if (typeof schema.exclusiveMinimum === 'number') min = Math.max(min, schema.exclusiveMinimum + step);
  if (typeof schema.exclusiveMaximum === 'number') max = Math.min(max, schema.exclusiveMaximum - step);
  return integer ? [Math.ceil(min), Math.floor(max)] : [min, max];
}

/** A value on `multipleOf`'s grid within [min, max], when the division is exact in floating point. */
function onGrid(value: number, step: number, min: number, max: number): number | undefined {
  const first = Math.ceil(value / step);
  for (const k of [...Array.from({ length: 40 }, (_, i) => first + (i % 2 === 0 ? i / 2 : -(i + 1) / 2)), Math.ceil(min / step), 0]) {
    const candidate = Number((k * step).toPrecision(12));
    if (candidate >= min && candidate <= max && Number.isInteger(candidate / step)) return candidate;
  }
  return undefined;
}

/** A number (an integer when `integer`) for `schema`, in the name's plausible range where the bounds allow. */
export function numberFor(schema: Schema, integer: boolean, random: Random, name?: string): number {
  const [min, max] = bounds(schema, integer);
  const [low, high, decimals] = numberRangeForName(name);
  let from = Math.max(low, min);
  let to = Math.min(high, max);
  if (from > to) [from, to] = Number.isFinite(min) ? [min, Number.isFinite(max) ? max : min + 100] : [max - 100, max];
  let value = integer ? random.int(Math.ceil(from), Math.floor(to)) : Number((from + random.next() * (to - from)).toFixed(decimals || 2));
  if (value < min || value > max) value = Math.min(Math.max(value, min), max);
  const step = schema.multipleOf;
  if (typeof step === 'number' && step > 0) value = onGrid(value, step, min, max) ?? value;
  return value;
}

/** Pads or cuts `value` to fit the length bounds (a bounded value may no longer look like its format). */
function fitLength(value: string, min: number, max: number): string {
  let out = value;
  while (out.length < min) out += out.length > 0 ? out : 'x';
  return out.length > max ? out.slice(0, Math.max(min, max)) : out;
}

/** A string for `schema`: its pattern, else its format, else its property name, within its length bounds. */
export function stringFor(schema: Schema, random: Random, name?: string): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const byFormat = typeof schema.format === 'string' ? formatValue(schema.format, random) : undefined;
  const byName = byFormat === undefined ? stringForName(name, random) : undefined;
  if (typeof schema.pattern === 'string') {
    const matched = stringMatching(schema.pattern, random, { min, max }, [byFormat, byName]);
    if (matched !== undefined) return matched;
  }
  return fitLength(byFormat ?? byName ?? word(random), min, max);
}
