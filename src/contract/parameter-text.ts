/**
 * Turns parameter text into the values the schema checks, before Ajv runs: an integer parameter
 * accepts only decimal integer text (`12`, `-3`; not `+1`, `0x10`, `1e3`, `" "` or a newline,
 * which `Number()` and so Ajv's own coercion would take), a number only the JSON number grammar,
 * a boolean `true` or `false`; a missing parameter gets its schema's default. An array parameter
 * that came as one value is wrapped into a one-item array here rather than by Ajv, so
 * `oneOf: [string, array]` still tells a single value from a list, and one Ajv instance (without
 * coercion) serves parameters and bodies alike.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';

/** How one parameter's raw text is turned into its value. */
export interface ParameterRule {
  readonly location: 'path' | 'query' | 'header';
  readonly name: string;
  /** The scalar type each value is converted to, if its schema asks for one. */
  readonly scalar: 'integer' | 'number' | 'boolean' | undefined;
  /** Whether the schema is an array (a single value gets wrapped). */
  readonly array: boolean;
  /** The schema's default, filled in when the parameter is absent. */
  readonly default?: unknown;
}

const GRAMMAR = { integer: /^-?(0|[1-9][0-9]*)$/, number: /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/ };

const typesOf = (schema: any): string[] => (Array.isArray(schema?.type) ? schema.type : typeof schema?.type === 'string' ? [schema.type] : []);

/** The scalar type a (dereferenced) schema converts a parameter's text to, if any. */
export function scalarOf(schema: any): ParameterRule['scalar'] {
  const types = typesOf(schema);
  if (types.includes('string')) return undefined;
  if (types.includes('integer')) return 'integer';
  if (types.includes('number')) return 'number';
  if (types.includes('boolean')) return 'boolean';
  return undefined;
}

/** Whether a (dereferenced) schema is an array schema. */
export const isArraySchema = (schema: any) => typesOf(schema).includes('array');

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function textError(rule: ParameterRule, index: number | undefined): ErrorObject {
  const type = rule.scalar!;
  const instancePath = `/${rule.location}/${escape(rule.name)}${index === undefined ? '' : `/${index}`}`;
  return { instancePath, schemaPath: '#/type', keyword: 'type', params: { type }, message: `must be ${type}` };
}

/** The value of one text, or undefined when it breaks the grammar. */
function convert(scalar: NonNullable<ParameterRule['scalar']>, text: string): unknown {
  if (scalar === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined;
  return GRAMMAR[scalar].test(text) ? Number(text) : undefined;
}

/** Wraps a parameters validator with the rules; they run first, on the raw strings, in place. */
export function withParameterText(validate: ValidateFunction, rules: readonly ParameterRule[]): ValidateFunction {
  if (rules.length === 0) return validate;
  const checked = ((data: Record<string, Record<string, unknown>>) => {
    const errors: ErrorObject[] = [];
    for (const rule of rules) {
      const part = data[rule.location];
      if (!part) continue;
      if (!(rule.name in part)) {
        if (rule.default !== undefined) part[rule.name] = structuredClone(rule.default);
        continue;
      }
      let value = part[rule.name];
      if (rule.array && typeof value === 'string') value = part[rule.name] = [value];
      const scalar = rule.scalar;
      if (scalar === undefined) continue;
      if (typeof value === 'string') {
        const converted = convert(scalar, value);
        if (converted === undefined) errors.push(textError(rule, undefined));
        else part[rule.name] = converted;
      } else if (Array.isArray(value) && rule.array) {
        part[rule.name] = value.map((v, i) => {
          if (typeof v !== 'string') return v;
          const converted = convert(scalar, v);
          if (converted === undefined) errors.push(textError(rule, i));
          return converted ?? v;
        });
      }
    }
    const valid = validate(data);
    if (errors.length === 0) {
      checked.errors = validate.errors;
      return valid;
    }
    // Every violation is reported, the text ones once: Ajv's errors on the same values are dropped.
    const paths = errors.map((e) => e.instancePath);
    const others = (validate.errors ?? []).filter((e) => !paths.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)));
    checked.errors = [...errors, ...others];
    return false;
  }) as ValidateFunction;
  return checked;
}
