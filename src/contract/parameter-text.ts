/**
 * The text rules for parameters, checked before Ajv coerces anything: an integer parameter
 * accepts only decimal integer text (`12`, `-3`; not `+1`, `0x10`, `1e3`, `" "` or a newline,
 * which `Number()` and so Ajv's coercion would take), a number only the JSON number grammar.
 * An array parameter that came as one value is wrapped into a one-item array here rather than by
 * Ajv, so `oneOf: [string, array]` still tells a single value from a list.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';

/** How one parameter's raw text is checked. */
export interface ParameterRule {
  readonly location: 'path' | 'query' | 'header';
  readonly name: string;
  /** The grammar each value must follow, if its schema is numeric. */
  readonly grammar: 'integer' | 'number' | undefined;
  /** Whether the schema is an array (a single value gets wrapped). */
  readonly array: boolean;
}

const GRAMMAR = { integer: /^-?(0|[1-9][0-9]*)$/, number: /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/ };

const typesOf = (schema: any): string[] => (Array.isArray(schema?.type) ? schema.type : typeof schema?.type === 'string' ? [schema.type] : []);

/** The grammar a (dereferenced) scalar schema asks of a parameter's text, if any. */
export function grammarOf(schema: any): ParameterRule['grammar'] {
  const types = typesOf(schema);
  if (types.includes('string')) return undefined;
  if (types.includes('integer')) return 'integer';
  if (types.includes('number')) return 'number';
  return undefined;
}

/** Whether a (dereferenced) schema is an array schema. */
export const isArraySchema = (schema: any) => typesOf(schema).includes('array');

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function textError(rule: ParameterRule, index: number | undefined): ErrorObject {
  const type = rule.grammar!;
  const instancePath = `/${rule.location}/${escape(rule.name)}${index === undefined ? '' : `/${index}`}`;
  return { instancePath, schemaPath: '#/type', keyword: 'type', params: { type }, message: `must be ${type}` };
}

/** Wraps a parameters validator with the text rules; the rules run first, on the raw strings. */
export function withParameterText(validate: ValidateFunction, rules: readonly ParameterRule[]): ValidateFunction {
  if (rules.length === 0) return validate;
  const checked = ((data: Record<string, Record<string, unknown>>) => {
    const errors: ErrorObject[] = [];
    for (const rule of rules) {
      const part = data[rule.location];
      if (!part || !(rule.name in part)) continue;
      let value = part[rule.name];
      if (rule.array && typeof value === 'string') value = part[rule.name] = [value];
      if (rule.grammar === undefined) continue;
      const grammar = GRAMMAR[rule.grammar];
      if (typeof value === 'string' && !grammar.test(value)) errors.push(textError(rule, undefined));
      if (Array.isArray(value)) value.forEach((v, i) => typeof v === 'string' && !grammar.test(v) && errors.push(textError(rule, i)));
    }
    if (errors.length > 0) {
      checked.errors = errors;
      return false;
    }
    const valid = validate(data);
    checked.errors = validate.errors;
    return valid;
  }) as ValidateFunction;
  return checked;
}
