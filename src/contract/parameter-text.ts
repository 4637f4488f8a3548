/**
 * How a parameter's value becomes text and back, for the pipeline and the contract runner alike
 * (one function each way, so what the runner sends as valid is what the pipeline reads as valid).
 * Text is converted before Ajv runs: an integer parameter accepts only decimal integer text (`12`,
 * `-3`; not `+1`, `0x10`, `1e3`, `" "` or a newline, which `Number()` and so Ajv's own coercion
 * would take), a number only the JSON number grammar, a boolean `true` or `false`; a missing
 * parameter gets its schema's default. An array in a header or path (OpenAPI's `simple` style) or
 * in a query with `explode: false` is comma-separated, and empty text is the empty array; in a
 * query with `explode: true` (the default) each repeated name is one item, and a single value is
 * wrapped into a one-item array here rather than by Ajv, so `oneOf: [string, array]` still tells a
 * single value from a list. An object is `k1,v1,k2,v2` (empty text: `{}`), each value converted
 * by its property's type. One Ajv instance (without coercion) serves parameters and bodies alike.
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
  /** Whether an array comes as one comma-separated text (header, path, query with `explode: false`). */
  readonly commaSeparated?: boolean;
  /** For an object schema: each declared property's scalar type (the text is `k1,v1,k2,v2`). */
  readonly object?: Readonly<Record<string, ParameterRule['scalar']>>;
}

/** Header parameters OpenAPI says "SHALL be ignored" (lower case): the media types and the security schemes own them. */
export const IGNORED_HEADERS: ReadonlySet<string> = new Set(['accept', 'content-type', 'authorization']);

/** A parameter's text on the wire: one value, or (query, `explode: true`) one per repeated name. */
export type ParameterText = string | readonly string[];

const GRAMMAR = { integer: /^-?(0|[1-9][0-9]*)$/, number: /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/ };

/** Follows a schema's `$ref`s (the caller's resolver). */
export type SchemaResolver = (schema: any) => any;

const own = (schema: any): string[] => (Array.isArray(schema?.type) ? schema.type : typeof schema?.type === 'string' ? [schema.type] : []);

/** A schema's types: its own, else those of the first `allOf` member that has any. */
function typesOf(schema: any, resolve: SchemaResolver = (s) => s): string[] {
  const here = own(schema);
  if (here.length > 0 || !Array.isArray(schema?.allOf)) return here;
  for (const member of schema.allOf) {
    const found = typesOf(resolve(member), resolve);
    if (found.length > 0) return found;
  }
  return [];
}

/** The scalar type a (dereferenced) schema converts a parameter's text to, if any. */
export function scalarOf(schema: any, resolve: SchemaResolver = (s) => s): ParameterRule['scalar'] {
  const types = typesOf(schema, resolve);
  if (types.includes('string')) return undefined;
  if (types.includes('integer')) return 'integer';
  if (types.includes('number')) return 'number';
  if (types.includes('boolean')) return 'boolean';
  return undefined;
}

/** Whether a (dereferenced) schema is an array schema. */
export const isArraySchema = (schema: any, resolve: SchemaResolver = (s) => s) => typesOf(schema, resolve).includes('array');

/** The first `items` of a schema or of its `allOf` members. */
function itemsOf(schema: any, resolve: SchemaResolver): any {
  if (schema?.items !== undefined) return resolve(schema.items);
  for (const member of Array.isArray(schema?.allOf) ? schema.allOf : []) {
    const found = itemsOf(resolve(member), resolve);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The rule for one parameter from its (resolved) schema; `explode` as the parameter declares it (form style: true). */
export function parameterRule(location: ParameterRule['location'], name: string, schema: any, resolve: SchemaResolver, explode = true): ParameterRule {
  const types = typesOf(schema, resolve);
  const array = types.includes('array');
  const scalar = array ? scalarOf(itemsOf(schema, resolve) ?? {}, resolve) : scalarOf(schema, resolve);
  const properties = types.includes('object') && !types.includes('string') ? schema?.properties : undefined;
  return {
    location,
    name,
    scalar,
    array,
    ...(schema?.default !== undefined ? { default: schema.default } : {}),
    ...(array && (location !== 'query' || !explode) ? { commaSeparated: true } : {}),
    ...(properties && typeof properties === 'object'
      ? { object: Object.fromEntries(Object.entries<any>(properties).map(([key, sub]) => [key, scalarOf(resolve(sub), resolve)])) }
      : {}),
  };
}

/** Whether the rule changes anything about a parameter's text (else Ajv sees the text as it came). */
export const ruleMatters = (rule: ParameterRule) => rule.scalar !== undefined || rule.array || rule.default !== undefined || rule.object !== undefined;

const scalarText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** The text a value is sent as (OpenAPI's default style for the location): the inverse of parameterValue. */
export function parameterText(rule: Pick<ParameterRule, 'location' | 'commaSeparated'>, value: unknown): ParameterText {
  if (Array.isArray(value)) {
    const parts = value.map(scalarText);
    return rule.location === 'query' && !rule.commaSeparated ? parts : parts.join(',');
  }
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, scalarText(v)]).join(',');
  return scalarText(value);
}

/** The value of a parameter's text under `rule`, and the item indexes (undefined: the whole value) whose text breaks its type's grammar. */
export function parameterValue(rule: ParameterRule, text: unknown): { value: unknown; broken: (number | undefined)[] } {
  const broken: (number | undefined)[] = [];
  let value = text;
  if (rule.object !== undefined && typeof value === 'string') {
    const parts = value === '' ? [] : value.split(',');
    if (parts.length % 2 === 0) {
      const entries: [string, unknown][] = [];
      for (let i = 0; i < parts.length; i += 2) {
        const scalar = rule.object[parts[i]!];
        const converted = scalar === undefined ? parts[i + 1] : convert(scalar, parts[i + 1]!);
        entries.push([parts[i]!, converted ?? parts[i + 1]]);
      }
      return { value: Object.fromEntries(entries), broken };
    }
  }
  if (rule.array && typeof value === 'string') value = rule.commaSeparated ? (value === '' ? [] : value.split(',')) : [value];
  const scalar = rule.scalar;
  if (scalar === undefined) return { value, broken };
  if (typeof value === 'string') {
    const converted = convert(scalar, value);
    if (converted === undefined) broken.push(undefined);
    return { value: converted ?? value, broken };
  }
  if (Array.isArray(value) && rule.array) {
    value = value.map((v, i) => {
      if (typeof v !== 'string') return v;
      const converted = convert(scalar, v);
      if (converted === undefined) broken.push(i);
      return converted ?? v;
    });
  }
  return { value, broken };
}

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
    const filled: { at: string; rule: ParameterRule }[] = [];
    for (const rule of rules) {
      const part = data[rule.location];
      if (!part) continue;
      if (!(rule.name in part)) {
        if (rule.default !== undefined) {
          part[rule.name] = structuredClone(rule.default);
          filled.push({ at: `/${rule.location}/${rule.name.replace(/~/g, '~0').replace(/\//g, '~1')}`, rule });
        }
        continue;
      }
      const { value, broken } = parameterValue(rule, part[rule.name]);
      part[rule.name] = value;
      for (const index of broken) errors.push(textError(rule, index));
    }
    let valid = validate(data);
    // A default that breaks its own schema (the document's mistake, not the caller's) is left out rather than refused.
    const broken = valid ? [] : filled.filter(({ at }) => (validate.errors ?? []).some((e) => e.instancePath === at || e.instancePath.startsWith(`${at}/`)));
    if (broken.length > 0) {
      for (const { rule } of broken) delete data[rule.location]![rule.name];
      valid = validate(data);
    }
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
